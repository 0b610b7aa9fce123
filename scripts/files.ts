/** File helpers shared by the pipeline entries: atomic writes and tree hashing. */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lists the files under `dir`, recursively, as sorted paths relative to `dir` with forward slashes. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  try {
    walk(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return out.sort();
}

/** The file operation writeFilesAtomically commits with; a test injects a failing one. */
export interface RenameOps {
  rename(from: string, to: string): void;
}

/**
 * Writes several files so that either all of them are replaced or none is, as far as errors go:
 * every file is first written beside its target under a temporary name; then each existing
 * target is moved aside to a backup and the new file renamed into place. If any step fails,
 * the files already replaced are put back from their backups (or removed, if they are new), and
 * every temporary file is removed, before the error is thrown. On success the backups are
 * removed. A process killed midway can still leave a mix, with the backups
 * (`<file>.bak-<pid>-<hex>`) beside the files to restore from.
 */
export function writeFilesAtomically(
  files: ReadonlyMap<string, string>,
  ops: RenameOps = { rename: renameSync },
): void {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staged: { temp: string; target: string; backup: string }[] = [];
  try {
    for (const [target, content] of files) {
      mkdirSync(dirname(target), { recursive: true });
      const entry = { temp: `${target}.tmp-${suffix}`, target, backup: `${target}.bak-${suffix}` };
      staged.push(entry);
      writeFileSync(entry.temp, content);
    }
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { force: true });
    throw error;
  }
  const committed: { target: string; backup?: string; replaced: boolean }[] = [];
  try {
    for (const { temp, target, backup } of staged) {
      const step: { target: string; backup?: string; replaced: boolean } = { target, replaced: false };
      committed.push(step);
      if (existsSync(target)) {
        ops.rename(target, backup);
        step.backup = backup;
      }
      ops.rename(temp, target);
      step.replaced = true;
    }
  } catch (error) {
    for (const step of committed.reverse()) {
      try {
        if (step.backup !== undefined) ops.rename(step.backup, step.target);
        else if (step.replaced) rmSync(step.target, { force: true });
      } catch {
        // The backup stays beside the file, to restore from by hand; the other files are still restored.
      }
    }
    for (const { temp } of staged) rmSync(temp, { force: true });
    throw error;
  }
  for (const step of committed) if (step.backup !== undefined) rmSync(step.backup, { force: true });
}

export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
