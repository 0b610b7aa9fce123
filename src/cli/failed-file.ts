/**
 * The failed-IDs file of a bulk run: the IDs that did not succeed (failed or cancelled), one per
 * line after a `#` header, ready to be re-run with `--files-from`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';

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

async function writeLines(
  path: string,
  flags: 'w' | 'wx',
  header: readonly string[],
  ids: Iterable<string>,
): Promise<void> {
  const stream = createWriteStream(path, { flags, encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  const write = async (text: string): Promise<void> => {
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed]);
  };
  await Promise.race([once(stream, 'open'), failed]);
  for (const line of header) await write(`# ${line}\n`);
  for (const id of ids) await write(`${id}\n`);
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
}

/**
 * Writes the file: to `chosen` (replaced if it exists), or to a new default-named file in `cwd`
 * (never replacing one: a second run within the same second gets a suffix). Returns its path.
 */
export async function writeFailedFile(
  ids: Iterable<string>,
  header: readonly string[],
  chosen: string | undefined,
  cwd: string,
  time: number,
): Promise<string> {
  if (chosen !== undefined) {
    const path = resolve(cwd, chosen);
    await writeLines(path, 'w', header, ids);
    return path;
  }
  const base = defaultFailedPath(cwd, time);
  for (let n = 1; ; n++) {
    const path = n === 1 ? base : base.replace(/\.txt$/, `-${n}.txt`);
    try {
      await writeLines(path, 'wx', header, ids);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
    }
  }
}
