/**
 * Entry for the compile half of `npm run build` (the pipeline runs first): turns src/ into
 * the published dist/.
 *
 *   dist/esm/        ES modules and their declarations (tsc, tsconfig.build.json)
 *   dist/cjs/        CommonJS (esbuild, file by file, no bundling) and the same declarations,
 *                    with a package.json that marks the folder as CommonJS
 *   dist/generated/  the generated schema types both declaration trees import
 *
 * The ESM tree is the reference; the CommonJS tree differs only in its module syntax.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GENERATED_DIR } from './apis.js';
import { listFiles } from './files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

function step(name: string, run: () => unknown): Promise<void> {
  const started = performance.now();
  return Promise.resolve(run()).then(() => {
    process.stdout.write(`build: ${name} (${Math.round(performance.now() - started)} ms)\n`);
  });
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });

  await step('dist/esm: tsc', () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  });

  await step('dist/cjs: esbuild', async () => {
    const sources = listFiles(join(root, 'src'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(root, 'src', f));
    await build({
      entryPoints: sources,
      outdir: join(dist, 'cjs'),
      outbase: join(root, 'src'),
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      bundle: false,
      logLevel: 'warning',
      // Modules that need their own location guard `import.meta` behind `__filename`, which
      // CommonJS has; esbuild empties `import.meta` there, and that branch never runs.
      logOverride: { 'empty-import-meta': 'silent' },
    });
    writeFileSync(join(dist, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
    for (const file of listFiles(join(dist, 'esm')).filter((f) => f.endsWith('.d.ts'))) {
      mkdirSync(dirname(join(dist, 'cjs', file)), { recursive: true });
      cpSync(join(dist, 'esm', file), join(dist, 'cjs', file));
    }
  });

  await step('dist/generated: schema types', () => {
    const target = join(dist, 'generated');
    for (const api of readdirSync(join(root, GENERATED_DIR))) {
      mkdirSync(join(target, api), { recursive: true });
      cpSync(join(root, GENERATED_DIR, api, 'schema.d.ts'), join(target, api, 'schema.d.ts'));
    }
    // Type-only declarations, imported from both trees: CommonJS can be imported from either.
    writeFileSync(join(target, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  });

  process.stdout.write(`build: wrote ${relative(process.cwd(), dist) || dist}/ (${listFiles(dist).length} files)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
