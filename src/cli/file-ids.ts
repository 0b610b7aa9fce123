/**
 * The file IDs of a bulk run, from a file or stdin: one per line, blank lines and `#` comments
 * skipped, read lazily as the run pulls them (a 100,000-line file is never held in memory).
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { UsageError } from './errors.js';

/** The ID on a line, or undefined for a blank or comment line. A UTF-8 BOM and CR are dropped. */
export function fileIdOnLine(line: string): string | undefined {
  const id = line.replace(/^\uFEFF/, '').trim();
  return id === '' || id.startsWith('#') ? undefined : id;
}

/** The lines of a text stream, pulled chunk by chunk as they are consumed. */
export async function* lines(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let buffered = '';
  for await (const chunk of input as AsyncIterable<string>) {
    buffered += chunk;
    let start = 0;
    for (let end = buffered.indexOf('\n', start); end !== -1; end = buffered.indexOf('\n', start)) {
      yield buffered.slice(start, end);
      start = end + 1;
    }
    buffered = buffered.slice(start);
  }
  if (buffered !== '') yield buffered;
}

export async function* fileIds(input: Readable): AsyncGenerator<string> {
  for await (const line of lines(input)) {
    const id = fileIdOnLine(line);
    if (id !== undefined) yield id;
  }
}

export interface FileIdSource {
  /** The absolute path, or undefined for stdin. */
  path: string | undefined;
  ids: AsyncGenerator<string>;
}

/** Opens `-` (stdin) or a path; a path that cannot be read is a usage error, found before anything is sent. */
export async function openFileIds(spec: string, cwd: string, stdin: Readable): Promise<FileIdSource> {
  if (spec === '-') return { path: undefined, ids: fileIds(stdin) };
  const path = resolve(cwd, spec);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UsageError(
      `--files-from: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw new UsageError(`--files-from: ${path} is a directory; expected a file with one file ID per line`);
  }
  return { path, ids: fileIds(handle.createReadStream({ encoding: 'utf8' })) };
}

/** How many IDs a file holds, read once without keeping them (for the progress bar's total). */
export async function countFileIds(path: string): Promise<number | undefined> {
  try {
    const handle = await open(path, 'r');
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      return undefined; // a pipe can be read only once
    }
    let count = 0;
    for await (const _ of fileIds(handle.createReadStream({ encoding: 'utf8' }))) count++;
    return count;
  } catch {
    return undefined;
  }
}
