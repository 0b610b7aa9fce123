/**
 * Runs the steps for every API in redocly.yaml, in memory: lint → bundle → types.
 *
 * The lint is split between two threads so that the largest steps use both cores: a worker
 * (lint-worker.ts) runs the rules that validate examples (lint.ts EXAMPLE_RULES, most of a
 * lint's time at vendor scale) over every API, while this thread runs the other rules, then
 * bundles each API (with the resolver its lint filled: no file is read twice here) and turns it
 * into types. A worker costs about 0.4 s of its own (it loads Redocly's core again), more than
 * the lint it would take over for small specs: it is started only when the specs' folders hold
 * at least PARALLEL_FROM_BYTES of YAML and JSON; below that, the whole lint runs here, before
 * the bundle. Nothing is returned until both are done, and an API with a finding from either
 * half fails the build with all its findings, whatever its bundle gave: the result is that of
 * lint → bundle → types in order.
 */
import { Worker } from 'node:worker_threads';
import { type Api, loadApis } from './apis.js';
import { bundleApi, serializeBundle } from './bundle.js';
import { PipelineError } from './errors.js';
import { specBytes } from './fingerprint.js';
import { formatProblem, lintApi, newResolver, type RuleSet } from './lint.js';
import type { LintResult } from './lint-worker.js';
import type { Tree } from './output.js';
import { recordSources } from './sources.js';
import { generateTypes } from './types.js';

/** The outcome of this thread's part for one API. */
interface Built {
  /** Open findings of the rules other than the example rules, one line each. */
  findings: string[];
  /** The generated files, when the lint found nothing and bundle and types succeeded. */
  files?: [string, string][];
  /** Why the lint or a later step failed, when it threw. */
  failure?: string;
}

async function buildApi(api: Api, rootDir: string, sources: Map<string, string>, rules: RuleSet): Promise<Built> {
  const resolver = newResolver(api);
  const additions = newResolver(api);
  try {
    const problems = await lintApi(api, rootDir, resolver, rules);
    const findings = problems.filter((p) => !p.ignored).map((p) => formatProblem(p, rootDir));
    if (findings.length > 0) return { findings };
    return { findings, files: await bundleAndType(api, resolver, additions) };
  } catch (error) {
    return { findings: [], failure: error instanceof Error ? error.message : String(error) };
  } finally {
    await recordSources([resolver, additions], sources);
  }
}

async function bundleAndType(
  api: Api,
  resolver: ReturnType<typeof newResolver>,
  additions: ReturnType<typeof newResolver>,
): Promise<[string, string][]> {
  const bundled = await bundleApi(api, resolver, additions);
  // Serialized before the types step, which may annotate the object it reads.
  const json = serializeBundle(bundled);
  return [
    [`${api.name}/openapi.json`, json],
    [`${api.name}/schema.d.ts`, generateTypes(api, bundled)],
  ];
}

/** Starts the lint of every API in a worker; resolves to its results, in API order. */
function lintInWorker(rootDir: string): Promise<LintResult[]> {
  const worker = new Worker(new URL('./lint-worker.js', import.meta.url), { workerData: { rootDir } });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: { results?: LintResult[]; error?: string }) => {
      settled = true;
      if (message.results) resolve(message.results);
      else reject(new PipelineError(message.error ?? 'lint: the worker gave no result'));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new PipelineError(`lint: the worker ended (exit code ${code}) before its result`));
    });
  });
}

export interface Build {
  tree: Tree;
  /** Every file (or URL) the build read, with the sha256 of the text it read. */
  sources: Map<string, string>;
}

/**
 * Builds the whole generated tree. Every API is tried, so one run reports the failures of
 * all of them; if any failed, this throws and nothing is returned to be written.
 */
/**
 * The size of spec text from which the example rules run in a worker: the synthetic
 * 550-operation spec (1.15 MB) does, the project's two specs (about 0.14 MB) do not. Measured
 * in `npm run bench` (pipeline section), see BENCHMARKS.md.
 */
export const PARALLEL_FROM_BYTES = 512 * 2 ** 10;

/** Whether the example rules run in a worker: by the specs' size, or as METACLEAR_PIPELINE_THREADS (1 or 2) says. */
function useWorker(rootDir: string): boolean {
  const threads = process.env.METACLEAR_PIPELINE_THREADS;
  if (threads === '1' || threads === '2') return threads === '2';
  if (threads !== undefined && threads !== '') {
    throw new PipelineError(`METACLEAR_PIPELINE_THREADS=${threads} is not a thread count`, {
      reason: "expected 1 (lint in this thread), 2 (example rules in a worker), or unset (by the specs' size)",
    });
  }
  return specBytes(rootDir) >= PARALLEL_FROM_BYTES;
}

export async function buildTree(rootDir: string, parallel = useWorker(rootDir)): Promise<Build> {
  const linted = parallel ? lintInWorker(rootDir) : Promise.resolve([]);
  // Handled below, once this thread's part is done; this keeps an early rejection from being unhandled.
  linted.catch(() => undefined);
  const apis = await loadApis(rootDir);
  const sources = new Map<string, string>();
  const built = new Map<string, Built>();
  for (const api of apis) built.set(api.name, await buildApi(api, rootDir, sources, parallel ? 'others' : 'all'));
  const examples = new Map((await linted).map((r) => [r.api, r]));
  const tree: Tree = new Map();
  const failures: string[] = [];
  for (const api of apis) {
    const mine = built.get(api.name) as Built;
    const theirs = examples.get(api.name);
    for (const [path, hash] of theirs?.sources ?? []) sources.set(path, hash);
    const findings = [...mine.findings, ...(theirs?.findings ?? [])].sort(byLocation);
    const unlinted = parallel && theirs === undefined ? `${api.name}: not linted by the worker` : undefined;
    const failure = mine.failure ?? theirs?.failure ?? unlinted;
    if (failure !== undefined) failures.push(failure.startsWith(`${api.name}:`) ? failure : `${api.name}: ${failure}`);
    else if (findings.length > 0) {
      failures.push(
        new PipelineError(`${api.name}: lint found ${findings.length} problem${findings.length === 1 ? '' : 's'}`, {
          findings,
        }).message,
      );
    } else for (const [path, content] of mine.files ?? []) tree.set(path, content);
  }
  if (failures.length > 0) throw new PipelineError(failures.join('\n'));
  return { tree: new Map([...tree].sort(([a], [b]) => (a < b ? -1 : 1))), sources };
}

/** Findings (`file:line:col ...`) by file, then line and column as numbers. */
function byLocation(a: string, b: string): number {
  const at = (f: string): [string, number, number] => {
    const m = /^(.*?):(\d+):(\d+) /.exec(f);
    return m ? [m[1] as string, Number(m[2]), Number(m[3])] : [f, 0, 0];
  };
  const [fa, la, ca] = at(a);
  const [fb, lb, cb] = at(b);
  return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb || (a < b ? -1 : a > b ? 1 : 0);
}
