/** Runs the steps for every API in redocly.yaml, in memory: lint → bundle → types. */
import type { BaseResolver } from '@redocly/openapi-core';
import { type Api, loadApis } from './apis.js';
import { bundleApi, serializeBundle } from './bundle.js';
import { PipelineError } from './errors.js';
import { sha256 } from './files.js';
import { assertClean, lintApi, newResolver } from './lint.js';
import type { Tree } from './output.js';
import { generateTypes } from './types.js';

/**
 * Lint, then bundle. They share one resolver, so every spec file is read and parsed once; it
 * is dropped on return, with the linter's compiled validators, before the types step loads
 * TypeScript: the two never take memory at the same time.
 */
async function lintAndBundle(
  api: Api,
  rootDir: string,
  sources: Map<string, string>,
): Promise<Record<string, unknown>> {
  const resolver = newResolver(api);
  const additions = newResolver(api);
  try {
    assertClean(api, await lintApi(api, rootDir, resolver), rootDir);
    return await bundleApi(api, resolver, additions);
  } finally {
    await recordSources([resolver, additions], sources);
  }
}

/** Every document the resolvers read, with the hash of its text: the inputs fingerprint.ts records. */
async function recordSources(resolvers: BaseResolver[], sources: Map<string, string>): Promise<void> {
  for (const resolver of resolvers) {
    for (const [ref, pending] of resolver.cache) {
      const document = await pending.catch(() => undefined);
      const source = document && 'source' in document ? document.source : undefined;
      // A file that could not be read is recorded as absent, so that creating it is seen.
      sources.set(source?.absoluteRef ?? ref, source ? sha256(source.body) : '(absent)');
    }
  }
}

async function buildApi(api: Api, rootDir: string, sources: Map<string, string>): Promise<[string, string][]> {
  const bundled = await lintAndBundle(api, rootDir, sources);
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
 */
export async function buildTree(rootDir: string): Promise<Build> {
  const apis = await loadApis(rootDir);
  const tree: Tree = new Map();
  const sources = new Map<string, string>();
  const failures: string[] = [];
  for (const api of apis) {
    try {
      for (const [path, content] of await buildApi(api, rootDir, sources)) tree.set(path, content);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) throw new PipelineError(failures.join('\n'));
  return { tree: new Map([...tree].sort(([a], [b]) => (a < b ? -1 : 1))), sources };
}
