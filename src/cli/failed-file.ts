/**
 * The failed-IDs file of a bulk run: the IDs that did not succeed (failed or cancelled), one per
 * line under `#` comment lines, ready to be re-run with `--files-from`. It is opened before the
 * first request and each ID is added as its file finishes (see record-file.ts).
 */
import { resolve } from 'node:path';
import { RecordFile } from './record-file.js';

/** `20250102T030405Z`: UTC, sortable, no characters a file system refuses. */
export function utcStamp(time: number): string {
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function defaultFailedPath(cwd: string, time: number): string {
  return resolve(cwd, `metaclear-failed-${utcStamp(time)}.txt`);
}

/**
 * Opens the file: `chosen` (already checked: a new file, or replaced when `overwrite`), or a new
 * default-named file in `cwd` (never replacing one: a second run within the same second gets a suffix).
 */
export function openFailedFile(chosen: string | undefined, overwrite: boolean, cwd: string, time: number): RecordFile {
  if (chosen !== undefined) return new RecordFile(chosen, overwrite ? 'w' : 'wx');
  const base = defaultFailedPath(cwd, time);
  for (let n = 1; ; n++) {
    const path = n === 1 ? base : base.replace(/\.txt$/, `-${n}.txt`);
    try {
      return new RecordFile(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
    }
  }
}
