/**
 * The example rules of the lint step in a worker thread (see pipeline.ts): lints every API of
 * redocly.yaml with those rules only (lint.ts EXAMPLE_RULES) and its own resolver, while the
 * main thread runs the other rules, bundles and generates types, so the two use both cores.
 * Posts one LintResult per API, in API order, then ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadApis } from './apis.js';
import { formatProblem, lintApi, newResolver } from './lint.js';
import { recordSources } from './sources.js';

export interface LintResult {
  api: string;
  /** The open findings, one line each (lint.ts formatProblem), and a message if the lint threw. */
  findings: string[];
  failure?: string;
  /** The files this lint read, with the sha256 of their text. */
  sources: [string, string][];
}

async function run(rootDir: string): Promise<LintResult[]> {
  const results: LintResult[] = [];
  for (const api of await loadApis(rootDir)) {
    const resolver = newResolver(api);
    const sources = new Map<string, string>();
    let failure: string | undefined;
    let findings: string[] = [];
    try {
      const problems = await lintApi(api, rootDir, resolver, 'examples');
      findings = problems.filter((p) => !p.ignored).map((p) => formatProblem(p, rootDir));
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    await recordSources([resolver], sources);
    results.push({ api: api.name, findings, ...(failure === undefined ? {} : { failure }), sources: [...sources] });
  }
  return results;
}

const { rootDir } = workerData as { rootDir: string };
run(rootDir).then(
  (results) => parentPort?.postMessage({ results }),
  (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
