/** Runs the steps for every API in redocly.yaml, in memory: lint → bundle → types. */
import { type Api, loadApis } from './apis.js';
import { bundleApi, serializeBundle } from './bundle.js';
import { PipelineError } from './errors.js';
import { assertClean, lintApi, newResolver } from './lint.js';
import type { Tree } from './output.js';
import { generateTypes } from './types.js';

/**
 * Lint, then bundle. They share one resolver, so every spec file is read and parsed once; it
 * is dropped on return, with the linter's compiled validators, before the types step loads
 * TypeScript: the two never take memory at the same time.
 */
async function lintAndBundle(api: Api, rootDir: string): Promise<Record<string, unknown>> {
  const resolver = newResolver(api);
  assertClean(api, await lintApi(api, rootDir, resolver), rootDir);
  return bundleApi(api, resolver);
}

async function buildApi(api: Api, rootDir: string): Promise<[string, string][]> {
  const bundled = await lintAndBundle(api, rootDir);
  // Serialized before the types step, which may annotate the object it reads.
  const json = serializeBundle(bundled);
  return [
    [`${api.name}/openapi.json`, json],
    [`${api.name}/schema.d.ts`, generateTypes(api, bundled)],
  ];
}

/**
 * Builds the whole generated tree. Every API is tried, so one run reports the failures of
 * all of them; if any failed, this throws and nothing is returned to be written.
 */
export async function buildTree(rootDir: string): Promise<Tree> {
  const apis = await loadApis(rootDir);
  const tree: Tree = new Map();
  const failures: string[] = [];
  for (const api of apis) {
    try {
      for (const [path, content] of await buildApi(api, rootDir)) tree.set(path, content);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) throw new PipelineError(failures.join('\n'));
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : 1)));
}
