/**
 * Finds the package root from this module's own location, and the bundled specs under generated/. Works from src/sandbox/ (Jest, tsx) and from a compiled dist/sandbox/ alike,
 * and from node_modules/metaclear/dist/sandbox/ once installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxApi } from './recorded-request.js';

const PACKAGE_NAME = 'metaclear';

/**
 * The directory of this module. Under Jest's CommonJS transform `__dirname` exists; under
 * native ESM it does not (typeof is safe on an undeclared global) and `import.meta.url` is used.
 */
function moduleDirectory(): string {
  // Trust __dirname only when it is this module's own: `node -e` defines a global one of ".".
  const own = typeof __filename === 'string' && /spec-files\.[cm]?[jt]s$/.test(__filename);
  return own ? __dirname : dirname(fileURLToPath(import.meta.url));
}

function isPackageRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest) || !existsSync(join(dir, 'generated'))) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The nearest ancestor of `start` that is the metaclear package (package.json + generated/). */
export function findPackageRoot(start: string = moduleDirectory()): string {
  // Absolute, whatever the start: `node -e` defines a global __dirname of ".".
  let dir = resolve(start);
  for (;;) {
    if (isPackageRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`metaclear sandbox: no ${PACKAGE_NAME} package with a generated/ folder above ${start}`);
    }
    dir = parent;
  }
}

/** Path of the bundled spec of one API. */
export function specPath(api: SandboxApi, root: string = findPackageRoot()): string {
  return join(root, 'generated', api, 'openapi.json');
}
