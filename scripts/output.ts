/**
 * Pipeline step "write": compares the generated tree with generated/ and brings generated/ to
 * it. generated/ itself is never moved or removed, so there is no moment without it: each
 * file that changes is written beside its target and renamed over it (writeFilesAtomically),
 * then the files no longer generated are removed. A reader sees every file whole, old or new;
 * during the swap (the renames, a few milliseconds) it may see some files new and others still
 * old. A failed write puts back every file already replaced; a run killed during the renames
 * can leave that mix, with `<file>.bak-<pid>-<hex>` beside the files it replaced, which the
 * next `generate` repairs (they count as files not generated).
 */
import { type Dirent, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR } from './apis.js';
import { listFiles, readIfExists, writeFilesAtomically } from './files.js';

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
  const dir = join(rootDir, GENERATED_DIR);
  const onDisk = listFiles(dir);
  const changed = new Map<string, string>();
  for (const [path, content] of tree) {
    const target = join(dir, path);
    if (readIfExists(target) !== content) changed.set(target, content);
  }
  try {
    writeFilesAtomically(changed);
    for (const path of onDisk) if (!tree.has(path)) rmSync(join(dir, path), { force: true });
  } finally {
    removeEmptyFolders(dir);
  }
}

/** Removes the folders under `dir` (not `dir` itself) left empty, deepest first. */
function removeEmptyFolders(dir: string): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const sub = join(dir, entry.name);
    removeEmptyFolders(sub);
    if (readdirSync(sub).length === 0) rmdirSync(sub);
  }
}
