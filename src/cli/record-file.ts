/**
 * A file the CLI records a run in, line by line, as the run goes. Lines are buffered and handed
 * to the operating system together, once per turn of the event loop (so a kill loses at most the
 * lines of the results recorded in that turn), and made durable (fsync) by `sync()`, which the
 * recorder calls at least once a second and on every exit path. A write that fails (a full disk,
 * a file-size limit, permissions changed) is not retried: the file is marked failed, the error is
 * reported once through `onFailure`, and the lines that were not written are kept (they are few:
 * the run stops on it) so that the summary can say which they are.
 */
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';

/** A record that could not be written: which file, and the system's code (ENOSPC, EFBIG, EACCES...). */
export class RecordWriteError extends Error {
  override name = 'RecordWriteError';
  constructor(
    readonly path: string,
    readonly code: string,
    cause: unknown,
  ) {
    super(`cannot write ${path}: ${code}`, { cause });
  }
}

const codeOf = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));

/** Buffered text beyond this is written at once, without waiting for the turn to end. */
const FLUSH_BYTES = 64 * 1024;

export class RecordFile {
  #fd: number | undefined;
  #lines = 0;
  #buffer: string[] = [];
  #bufferedBytes = 0;
  /** Lines of the buffer (its entries that are whole lines): what a failed write lost. */
  #bufferedLines: string[] = [];
  #scheduled = false;
  #failure: RecordWriteError | undefined;
  /** Lines that never reached the file, once it failed. */
  readonly unwritten: string[] = [];
  onFailure: ((error: RecordWriteError) => void) | undefined;

  /** `flags`: 'wx' a new file, 'w' replace, 'a' append. Throws the fs error (EEXIST...). */
  constructor(
    readonly path: string,
    flags: 'wx' | 'w' | 'a',
  ) {
    this.#fd = openSync(path, flags, 0o644);
  }

  /** Lines recorded by this run (comments included). */
  get lines(): number {
    return this.#lines;
  }

  /** Set once a write failed: nothing more is written to the file. */
  get failure(): RecordWriteError | undefined {
    return this.#failure;
  }

  line(text: string): void {
    this.#lines++;
    if (this.#failure) {
      this.unwritten.push(text);
      return;
    }
    this.#buffer.push(`${text}\n`);
    this.#bufferedLines.push(text);
    this.#bufferedBytes += text.length + 1;
    if (this.#bufferedBytes >= FLUSH_BYTES) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Raw text, not counted as a line (the newline that ends a line cut short by a kill). */
  write(text: string): void {
    this.flush();
    this.#buffer.push(text);
    this.#bufferedBytes += text.length;
    this.flush();
  }

  /** Hands what is buffered to the operating system. Never throws: a failure is reported by onFailure. */
  flush(): void {
    if (this.#fd === undefined || this.#failure || this.#buffer.length === 0) return;
    const bytes = Buffer.from(this.#buffer.join(''), 'utf8');
    const lines = this.#bufferedLines;
    this.#buffer = [];
    this.#bufferedLines = [];
    this.#bufferedBytes = 0;
    let offset = 0;
    try {
      // A short write (a file-size limit reached mid-chunk) is followed by the write that fails.
      while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
    } catch (error) {
      // The lines wholly written before the failure are in the file; the rest are not.
      let end = bytes.length;
      let first = lines.length;
      for (let i = lines.length - 1; i >= 0 && end > offset; i--) {
        end -= Buffer.byteLength(lines[i] as string, 'utf8') + 1;
        first = i;
      }
      this.#fail(error, lines.slice(first));
    }
  }

  /** Makes what was recorded durable: written, and on disk, not only handed to the operating system. */
  sync(): void {
    this.flush();
    if (this.#fd === undefined || this.#failure) return;
    try {
      fsyncSync(this.#fd);
    } catch (error) {
      this.#fail(error, []);
    }
  }

  /** Syncs, then closes. Never throws. */
  close(): void {
    if (this.#fd === undefined) return;
    this.sync();
    try {
      closeSync(this.#fd);
    } catch {
      // Nothing more can be done for it: a failed sync has already been reported.
    }
    this.#fd = undefined;
  }

  /** Closes and deletes the file (a default-named record with nothing in it). */
  discard(): void {
    this.close();
    try {
      unlinkSync(this.path);
    } catch {
      // Left in place: it holds only its header.
    }
  }

  #fail(error: unknown, lost: string[]): void {
    this.#failure = new RecordWriteError(this.path, codeOf(error), error);
    this.unwritten.push(...lost);
    this.onFailure?.(this.#failure);
  }
}
