/**
 * Temporary project roots for the pipeline benchmark. Everything is written under the OS
 * temporary folder and removed afterwards; the repository is only read.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { syntheticSpecYaml } from './synthetic-spec.js';

/** The repository this benchmark belongs to. */
export const REPO = resolve(import.meta.dirname, '..');
export const SYNTHETIC_API = 'synthetic';
const SYNTHETIC_ROOT = `specs/${SYNTHETIC_API}/openapi.yaml`;

const created = new Set<string>();

export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `metaclear-bench-${label}-`));
  created.add(dir);
  return dir;
}

/** Removes a folder made by makeTempDir; symbolic links inside it are removed, not followed. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  created.delete(dir);
}

export function removeAllTempDirs(): void {
  for (const dir of [...created]) removeTempDir(dir);
}

/**
 * Gives `root` a node_modules whose entries link to the repository's. node_modules itself is
 * not a link: generate.ts keeps its cache in <root>/node_modules/.cache/metaclear, which would
 * then land in the repository.
 */
function linkNodeModules(root: string): void {
  const source = join(REPO, 'node_modules');
  const target = join(root, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (entry !== '.cache') symlinkSync(join(source, entry), join(target, entry));
  }
}

/** A copy of the repository's pipeline inputs: specs/, redocly.yaml, .redocly.lint-ignore.yaml. */
export function copyRepoInputs(): string {
  const root = makeTempDir('repo');
  cpSync(join(REPO, 'specs'), join(root, 'specs'), { recursive: true });
  for (const file of ['redocly.yaml', '.redocly.lint-ignore.yaml']) cpSync(join(REPO, file), join(root, file));
  linkNodeModules(root);
  return root;
}

/** The APIs declared in a redocly.yaml, with the entry file of each. */
export function declaredApis(root: string): { name: string; root: string }[] {
  const config = load(readFileSync(join(root, 'redocly.yaml'), 'utf8')) as { apis?: Record<string, { root: string }> };
  return Object.entries(config.apis ?? {}).map(([name, api]) => ({ name, root: resolve(root, api.root) }));
}

/**
 * A root holding one synthetic API with `operations` operations, and a redocly.yaml that
 * declares only it, with the rules of the repository's redocly.yaml.
 */
export function syntheticRoot(operations: number): { root: string; specBytes: number } {
  const root = makeTempDir(`ops${operations}`);
  const config = load(readFileSync(join(REPO, 'redocly.yaml'), 'utf8')) as Record<string, unknown>;
  config.apis = { [SYNTHETIC_API]: { root: SYNTHETIC_ROOT } };
  writeFileSync(join(root, 'redocly.yaml'), dump(config));
  const spec = syntheticSpecYaml(operations);
  mkdirSync(join(root, 'specs', SYNTHETIC_API), { recursive: true });
  writeFileSync(join(root, SYNTHETIC_ROOT), spec);
  linkNodeModules(root);
  return { root, specBytes: Buffer.byteLength(spec) };
}
