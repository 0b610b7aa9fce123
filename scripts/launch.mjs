/**
 * Runs a pipeline entry from compiled JavaScript: `node scripts/launch.mjs <entry> [args...]`
 * runs scripts/<entry>.ts as `npm run generate`, `lint:specs`, `specs:update`, `specs:extract` and
 * `specs:extract-operation` do.
 *
 * The scripts are compiled once (esbuild, file by file, no bundling) into
 * node_modules/.cache/metaclear/scripts-<hash>/, where <hash> is that of every source file
 * under scripts/. A run whose sources are unchanged imports the compiled files at once; a run
 * after any change compiles them again first (about 0.1 s). A fresh clone needs nothing but
 * `npm ci`. Compiling goes to a temporary folder renamed into place, so runs started together
 * never see half a folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const scriptsDir = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(scriptsDir, '..', 'node_modules', '.cache', 'metaclear');
const USAGE = 'usage: node scripts/launch.mjs <entry> [args...], e.g. generate --check';

/** The TypeScript sources under scripts/, as sorted paths relative to it. */
function sources() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(relative(scriptsDir, full));
    }
  };
  walk(scriptsDir);
  return out.sort();
}

function sourceHash(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.split(sep).join('/')}\0`);
    hash.update(readFileSync(join(scriptsDir, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function compile(files, target) {
  const { build } = await import('esbuild');
  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await build({
      entryPoints: files.map((f) => join(scriptsDir, f)),
      outdir: staging,
      outbase: scriptsDir,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      bundle: false,
      logLevel: 'warning',
    });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another run compiled the same sources first: use its folder.
    if (!existsSync(target)) throw error;
  }
  // Folders compiled from earlier sources are of no further use.
  for (const entry of readdirSync(cacheDir)) {
    if (entry.startsWith('scripts-') && join(cacheDir, entry) !== target && !entry.includes('.tmp-')) {
      rmSync(join(cacheDir, entry), { recursive: true, force: true });
    }
  }
}

const entry = process.argv[2];
if (!entry || !/^[a-z][a-z-]*$/.test(entry) || !existsSync(join(scriptsDir, `${entry}.ts`))) {
  process.stderr.write(
    `launch: ${entry === undefined ? 'no entry given' : `no entry scripts/${entry}.ts`}\n${USAGE}\n`,
  );
  process.exit(2);
}
const files = sources();
const target = join(cacheDir, `scripts-${sourceHash(files)}`);
if (!existsSync(target)) await compile(files, target);
// The entry reads its arguments from process.argv.slice(2), as when it is run directly.
process.argv.splice(2, 1);
await import(pathToFileURL(join(target, `${entry}.js`)).href);
