/**
 * Pipeline step "write": compares the generated tree with generated/ and replaces it as a
 * whole. The new tree is written to a staging folder, then swapped in with renames, so an
 * interrupted run leaves either the old tree or the new one, never a mix.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENERATED_DIR } from './apis.js';
import { listFiles } from './files.js';

/** Generated files, keyed by their path under generated/ (forward slashes). */
export type Tree = Map<string, string>;

export interface Drift {
  changed: string[];
  missing: string[];
  extra: string[];
}

export function compareTree(rootDir: string, tree: Tree): Drift {
  const dir = join(rootDir, GENERATED_DIR);
  const onDisk = new Set(listFiles(dir));
  const drift: Drift = { changed: [], missing: [], extra: [] };
  for (const [path, content] of tree) {
    if (!onDisk.has(path)) drift.missing.push(path);
    else if (readFileSync(join(dir, path), 'utf8') !== content) drift.changed.push(path);
  }
  for (const path of onDisk) if (!tree.has(path)) drift.extra.push(path);
  return drift;
}

export function isClean(drift: Drift): boolean {
  return drift.changed.length + drift.missing.length + drift.extra.length === 0;
}

export function replaceTree(rootDir: string, tree: Tree): void {
  const target = join(rootDir, GENERATED_DIR);
  const suffix = `${process.pid}-${Date.now()}`;
  const staging = join(rootDir, `.generated-staging-${suffix}`);
  const old = join(rootDir, `.generated-old-${suffix}`);
  try {
    for (const [path, content] of tree) {
      const file = join(staging, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const hadTarget = existsSync(target);
  if (hadTarget) renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (error) {
    if (hadTarget) renameSync(old, target);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}
