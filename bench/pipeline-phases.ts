/**
 * Child process of the pipeline benchmark: runs the steps of `generate --force` on one root,
 * in the order scripts/pipeline.ts runs them, and prints how long each took, as JSON on
 * stdout. Nothing is written: the point is where the time of a cold run goes.
 *
 * usage: node --import tsx bench/pipeline-phases.ts --root <dir>
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** Milliseconds since the process started: Node's bootstrap, tsx's loader and this module. */
const startup = performance.now();

export interface PhaseTimes {
  /** Milliseconds per phase, in the order they ran. */
  phases: Record<string, number>;
  /** Milliseconds from process start to the end of the last phase. */
  total: number;
  /**
   * Part of "types": the lint and bundle that openapi-typescript runs again, with its own
   * copy of @redocly/openapi-core, on the document it is handed (timed separately, once more).
   */
  typesRevalidation: number | undefined;
}

/** The few entry points of openapi-typescript's own @redocly/openapi-core (1.x) used below. */
interface NestedCore {
  createConfig(config: object, options: { extends: string[] }): Promise<{ resolve: unknown; styleguide: unknown }>;
  BaseResolver: new (config: unknown) => unknown;
  Source: new (absoluteRef: string, body: string, mimeType: string) => unknown;
  lintDocument(options: { document: unknown; config: unknown; externalRefResolver: unknown }): Promise<unknown[]>;
  bundle(options: { config: unknown; dereference: boolean; doc: unknown }): Promise<unknown>;
}

/**
 * What openapiTS() does before it transforms anything (openapi-typescript 7, lib/redoc.mjs
 * validateAndBundle, with the config it creates when given none): a minimal lint and a bundle
 * of the document, with the @redocly/openapi-core that openapi-typescript depends on.
 */
async function revalidate(bundled: Record<string, unknown>): Promise<number> {
  const fromOpenapiTs = createRequire(createRequire(import.meta.url).resolve('openapi-typescript'));
  const core = fromOpenapiTs('@redocly/openapi-core') as NestedCore;
  const document = structuredClone(bundled);
  const started = performance.now();
  const redoc = await core.createConfig(
    { rules: { 'operation-operationId-unique': { severity: 'error' } } },
    { extends: ['minimal'] },
  );
  const resolver = new core.BaseResolver(redoc.resolve);
  const doc = {
    source: new core.Source(`${process.cwd()}/`, JSON.stringify(document), 'application/json'),
    parsed: document,
  };
  await core.lintDocument({ document: doc, config: redoc.styleguide, externalRefResolver: resolver });
  await core.bundle({ config: redoc, dereference: false, doc });
  return performance.now() - started;
}

async function main(): Promise<PhaseTimes> {
  const { values } = parseArgs({ options: { root: { type: 'string' } } });
  if (!values.root) throw new Error('usage: pipeline-phases.ts --root <dir>');
  const rootDir = resolve(values.root);
  const phases: Record<string, number> = { startup };
  let last = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    phases[name] = (phases[name] ?? 0) + now - last;
    last = now;
  };

  // What generate.ts imports before it can tell whether there is anything to do.
  const { inputFingerprint } = await import('../scripts/fingerprint.js');
  lap('import entry modules');
  inputFingerprint(rootDir);
  lap('fingerprint');
  // What generate.ts imports only when there is work: the pipeline and, through it, the tools.
  await import('../scripts/pipeline.js');
  const { loadApis } = await import('../scripts/apis.js');
  const { assertClean, lintApi } = await import('../scripts/lint.js');
  const { bundleApi, serializeBundle } = await import('../scripts/bundle.js');
  const { generateTypes } = await import('../scripts/types.js');
  lap('import tools');
  const apis = await loadApis(rootDir);
  lap('load redocly.yaml');
  const bundles: Record<string, unknown>[] = [];
  for (const api of apis) {
    assertClean(api, await lintApi(api, rootDir), rootDir);
    lap('lint');
    const bundled = await bundleApi(api);
    bundles.push(bundled);
    lap('bundle');
    await generateTypes(api, bundled);
    lap('types');
    serializeBundle(bundled);
    lap('serialize');
  }
  const total = performance.now();
  let typesRevalidation: number | undefined;
  try {
    typesRevalidation = 0;
    for (const bundled of bundles) typesRevalidation += await revalidate(bundled);
  } catch {
    typesRevalidation = undefined; // another openapi-typescript: its internals are not those assumed here
  }
  return { phases, total, typesRevalidation };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (times) => process.stdout.write(`${JSON.stringify(times)}\n`),
    (error: unknown) => {
      process.stderr.write(`pipeline-phases: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
