/**
 * The file IDs of a bulk run, from a file or stdin: one per line, blank lines and `#` comments
 * skipped, read lazily as the run pulls them (a 100,000-line file is never held in memory).
 * Input is strict: a line that is not UTF-8, or longer than MAX_LINE_BYTES, is refused with its
 * line number, never turned into something else and sent.
 */
import { closeSync, createReadStream, open as fsOpen, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';

/** The longest line accepted (an Oracle file ID is 44 characters). */
export const MAX_LINE_BYTES = 1024;

/** A line of the input that the run cannot use: names the input and the line. */
export class InputLineError extends UsageError {
  override name = 'InputLineError';
}

/** The ID on a line, or undefined for a blank or comment line. A UTF-8 BOM and CR are dropped. */
export function fileIdOnLine(line: string): string | undefined {
  const id = line.replace(/^\uFEFF/, '').trim();
  return id === '' || id.startsWith('#') ? undefined : id;
}

/** A line of the input: its text, its number (from 1), and the byte offset just after it. */
export interface InputLine {
  text: string;
  line: number;
  end: number;
}

/**
 * The lines of a byte stream, pulled chunk by chunk as they are consumed; each decoded as strict
 * UTF-8. `name` is how errors call the input (`--files-from ids.txt`).
 */
export async function* lines(input: Readable, name: string, startOffset = 0): AsyncGenerator<InputLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let offset = startOffset;
  const decode = (bytes: Buffer): InputLine => {
    line++;
    offset += bytes.length;
    const body = bytes[bytes.length - 1] === 0x0a ? bytes.subarray(0, -1) : bytes;
    if (body.length > MAX_LINE_BYTES) {
      throw new InputLineError(
        `${name}: line ${line} is longer than ${MAX_LINE_BYTES} bytes; expected one file ID per line`,
      );
    }
    try {
      return { text: decoder.decode(body), line, end: offset };
    } catch {
      throw new InputLineError(
        `${name}: line ${line} is not valid UTF-8; expected one file ID per line, as UTF-8 text`,
      );
    }
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let end = bytes.indexOf(0x0a, start); end !== -1; end = bytes.indexOf(0x0a, start)) {
      const piece = bytes.subarray(start, end + 1);
      yield decode(pending.length === 0 ? piece : Buffer.concat([...pending, piece]));
      pending = [];
      pendingBytes = 0;
      start = end + 1;
    }
    if (start < bytes.length) {
      pending.push(bytes.subarray(start));
      pendingBytes += bytes.length - start;
      // Refused as soon as it is too long: a 5 MB line is never held whole.
      if (pendingBytes > MAX_LINE_BYTES + 1) decode(Buffer.concat(pending));
    }
  }
  if (pendingBytes > 0) yield decode(Buffer.concat(pending));
}

/** A file ID, with the line it is on and the byte offset just after that line. */
export interface FileIdLine {
  id: string;
  line: number;
  end: number;
}

export async function* fileIds(input: Readable, name = 'input', startOffset = 0): AsyncGenerator<FileIdLine> {
  for await (const { text, line, end } of lines(input, name, startOffset)) {
    const id = fileIdOnLine(text);
    if (id !== undefined) yield { id, line, end };
  }
}

export interface FileIdSource {
  /** The absolute path, or undefined for stdin. */
  path: string | undefined;
  /** How errors name it: `--files-from ids.txt` or `--files-from - (stdin)`. */
  name: string;
  /** For a file: how many IDs it holds, counted (and every line checked) before the run. */
  total: number | undefined;
  /** For a file: how many lines it has (counted with the IDs). */
  lines?: number;
  ids: AsyncGenerator<FileIdLine>;
}

/** The IDs of a counted input, which must be as many as counted: one that changed under the run is refused. */
async function* countedIds(ids: AsyncGenerator<FileIdLine>, name: string, total: number): AsyncGenerator<FileIdLine> {
  let count = 0;
  const changed = (now: string): InputLineError =>
    new InputLineError(
      `${name} changed during the run: it held ${total} file IDs when counted, ${now}; run it again from an input that does not change`,
    );
  for await (const id of ids) {
    if (++count > total) throw changed('more now');
    yield id;
  }
  if (count !== total) throw changed(`${count} now`);
}

/** A byte stream of the file open at `fd`, from `start`; the fd stays open. */
function fileStream(fd: number, start: number): Readable {
  return createReadStream('', { fd, start, autoClose: false });
}

/**
 * Opens `-` (stdin) or a path. A regular file is read through once first, so that a bad line, or
 * no ID at all, is found before anything is sent (and `check` sees every ID: the journal's check
 * that the input is its own); then it is read again from the same open file, lazily, for the run,
 * and must hold as many IDs as were counted. Anything else (a pipe, `<(…)`, a FIFO, a device) can
 * be read only once: it is read like stdin, in one pass, with no total, and never opened again
 * (a FIFO opened again would wait for a new writer for ever).
 */
export async function openFileIds(
  spec: string,
  cwd: string,
  stdin: Readable,
  check?: { each(n: number, id: string): void; end(count: number): void },
): Promise<FileIdSource> {
  if (spec === '-') {
    const name = '--files-from - (stdin)';
    return { path: undefined, name, total: undefined, ids: fileIds(stdin, name) };
  }
  const path = resolve(cwd, spec);
  const name = `--files-from ${spec}`;
  let fd: number;
  try {
    fd = await new Promise<number>((done, fail) =>
      fsOpen(path, 'r', (error, opened) => (error ? fail(error) : done(opened))),
    );
  } catch (error) {
    throw new UsageError(
      `--files-from: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    closeSync(fd);
    throw new UsageError(`--files-from: ${path} is a directory; expected a file with one file ID per line`);
  }
  if (!stat.isFile()) {
    // A pipe or socket is read through the event loop (a read of a FIFO on the thread pool would
    // keep the process from exiting while it waits for a writer); a device as a file.
    const stream: Readable =
      stat.isFIFO() || stat.isSocket()
        ? new Socket({ fd, readable: true, writable: false })
        : createReadStream('', { fd, autoClose: true });
    return { path, name, total: undefined, ids: closing(fileIds(stream, name), () => stream.destroy()) };
  }
  let total = 0;
  let lineCount = 0;
  try {
    for await (const { text, line } of lines(fileStream(fd, 0), name)) {
      lineCount = line;
      const id = fileIdOnLine(text);
      if (id === undefined) continue;
      total++;
      check?.each(total, id);
    }
    check?.end(total);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return {
    path,
    name,
    total,
    lines: lineCount,
    ids: closing(countedIds(fileIds(fileStream(fd, 0), name), name, total), () => closeSync(fd)),
  };
}

/** `ids`, then `close` once they end, fail or are given up. */
async function* closing(ids: AsyncGenerator<FileIdLine>, close: () => void): AsyncGenerator<FileIdLine> {
  try {
    yield* ids;
  } finally {
    try {
      close();
    } catch {
      // Already closed.
    }
  }
}
