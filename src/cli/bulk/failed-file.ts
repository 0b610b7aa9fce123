/**
 * The failed-IDs file of a bulk run: the IDs that did not succeed (failed or cancelled), one per
 * line under `#` comment lines, ready to be re-run with `--files-from`. It is opened before the
 * first request and each ID is added as its file finishes (see record-file.ts).
 */
import { resolve } from 'node:path';
import { defaultOutputName } from './output-paths.js';
import { RecordFile } from './record-file.js';

export function defaultFailedPath(cwd: string, time: number, n = 1): string {
  return resolve(cwd, defaultOutputName('failed', time, 'txt', n));
}

/**
 * Opens the file: `chosen` (already checked: a new file, or replaced when `overwrite`), or a new
 * default-named file in `cwd` (never replacing one: a second run within the same second gets a suffix).
 */
export function openFailedFile(chosen: string | undefined, overwrite: boolean, cwd: string, time: number): RecordFile {
  if (chosen !== undefined) return new RecordFile(chosen, overwrite ? 'w' : 'wx');
  for (let n = 1; ; n++) {
    const path = defaultFailedPath(cwd, time, n);
    try {
      return new RecordFile(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
    }
  }
}
