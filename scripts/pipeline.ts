/**
 * Runs the steps for every API in redocly.yaml, in memory: lint → bundle → types.
 *
 * By default all in this thread: lint, then bundle with the resolver the lint filled (no file is
 * read twice), then types. With METACLEAR_PIPELINE_THREADS=2 (lint-thread.ts says why it is not
 * the default) the lint is split between two threads: a worker (lint-worker.ts) runs the rules
 * that validate examples (lint.ts EXAMPLE_RULES, most of a lint's time at vendor scale) over
 * every API, while this thread runs the other rules, bundles and generates types. Nothing is
 * returned until both are done, and an API with a finding from either half fails the build
 * with all its findings, whatever its bundle gave: the result is that of lint → bundle → types
 * in order, the same files and the same findings as on one thread.
 */
import { type Api, loadApis } from './apis.js';
import { bundleApi, serializeBundle } from './bundle.js';
import { PipelineError } from './errors.js';
import { formatProblem, lintApi, newResolver, type RuleSet } from './lint.js';
import { startExampleLint } from './lint-thread.js';
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

export interface Build {
  tree: Tree;
  /** Every file (or URL) the build read, with the sha256 of the text it read. */
  sources: Map<string, string>;
}

/**
 * Builds the whole generated tree. Every API is tried, so one run reports the failures of
 * all of them; if any failed, this throws and nothing is returned to be written.
 *
 * `exampleLint`: the worker's lint (lint-thread.ts), started by the caller as early as it can
 * (generate.ts starts it before it loads this module and Redocly's core, which the worker loads
 * too, at the same time); undefined to lint every rule in this thread.
 */
export async function buildTree(rootDir: string, exampleLint = startExampleLint(rootDir)): Promise<Build> {
  const parallel = exampleLint !== undefined;
  const linted = exampleLint ?? Promise.resolve([]);
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
