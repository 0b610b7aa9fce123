/**
 * Child process of the pipeline benchmark: runs the steps of `generate --force` on one root,
 * in the order scripts/pipeline.ts runs them, and prints how long each took, as JSON on
 * stdout. Nothing is written: the point is where the time of a cold run goes.
 *
 * usage: node --import tsx bench/pipeline-phases.ts --root <dir>
 */
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
  const { assertClean, lintApi, newResolver } = await import('../scripts/lint.js');
  const { bundleApi, serializeBundle } = await import('../scripts/bundle.js');
  const { generateTypes } = await import('../scripts/types.js');
  lap('import tools');
  const apis = await loadApis(rootDir);
  lap('load redocly.yaml');
  for (const api of apis) {
    const resolver = newResolver(api);
    assertClean(api, await lintApi(api, rootDir, resolver), rootDir);
    lap('lint');
    const bundled = await bundleApi(api, resolver);
    lap('bundle');
    serializeBundle(bundled);
    lap('serialize');
    generateTypes(api, bundled);
    lap('types');
  }
  return { phases, total: performance.now() };
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
