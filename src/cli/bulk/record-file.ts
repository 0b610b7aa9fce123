/**
 * A file the CLI records a run in, line by line, as the run goes. Lines are buffered and handed
 * to the operating system together, once per turn of the event loop (so a kill loses at most the
 * lines of the results recorded in that turn), and made durable (fsync) by `sync()`, which the
 * recorder calls at least once a second and on every exit path. A write that fails (a full disk,
 * a file-size limit, permissions changed) is not retried: the file is marked failed, the error is
 * reported once through `onFailure`, and the lines that were not written are kept (they are few:
 * the run stops on it) so that the summary can say which they are.
 */
import {
  closeSync,
  existsSync,
  fchmodSync,
  fstatSync,
  fsync,
  fsyncSync,
  openSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

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

/** `0644`: permissions as chmod takes them. */
export const modeText = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/**
 * Makes the open file private to its owner (0600) when others (group or world) have any right on
 * it; returns the permissions it had then. A file that cannot be made private is refused.
 */
function makePrivate(fd: number, path: string): number | undefined {
  const mode = fstatSync(fd).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  try {
    fchmodSync(fd, 0o600);
  } catch (error) {
    throw new UsageError(
      `${path} is open to others (mode ${modeText(mode)}) and cannot be made private (${codeOf(error)}); it holds customer data: make it private (chmod 600) or choose another path`,
    );
  }
  return mode;
}

/**
 * Fsyncs of durable() under way at once, at most: a group that arrives while one runs starts its
 * own at once rather than waiting for it to end (the file system commits concurrent fsyncs of one
 * file together), and the groups that arrive while both run wait for the first to end, together.
 */
const SYNCS_IN_FLIGHT = 2;

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
  /** Fsyncs of durable() under way (at most SYNCS_IN_FLIGHT); the callers that came since wait for the next one, together. */
  #syncing = 0;
  #waiting: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Lines that never reached the file, once it failed. */
  readonly unwritten: string[] = [];
  onFailure: ((error: RecordWriteError) => void) | undefined;

  /**
   * The permissions an existing file had before this run made it private (0600), if it had wider
   * ones (a file created by the run is created 0600: it holds customer data).
   */
  readonly tightened: number | undefined;

  /**
   * `flags`: 'wx' a new file, 'w' replace, 'a' append. Throws the fs error (EEXIST...), or a
   * UsageError when an existing file others may read cannot be made private.
   */
  constructor(
    readonly path: string,
    flags: 'wx' | 'w' | 'a',
  ) {
    const created = flags !== 'a' || !existsSync(path);
    const fd = openSync(path, flags, 0o600);
    try {
      this.tightened = makePrivate(fd, path);
      // A new file's name is in its folder only once the folder is synced: without it, a power
      // loss could take the whole file, with entries whose DELETE went out.
      if (created) syncFolder(dirname(path));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.#fd = fd;
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

  /**
   * Resolves once every line recorded before the call is on disk (a failure is set, not thrown).
   * Group commit: the callers that arrive while a fsync is under way share the next one, so that
   * many concurrent calls cost one fsync, not one each; the event loop runs on meanwhile (the
   * fsync runs in the thread pool).
   */
  durable(): Promise<void> {
    this.flush();
    if (this.#fd === undefined || this.#failure) return Promise.resolve();
    if (this.#waiting === undefined) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      this.#waiting = { promise, resolve };
    }
    const { promise } = this.#waiting;
    this.#startSync();
    return promise;
  }

  /** Starts a fsync for the callers waiting, unless one is under way (its end starts the next). */
  #startSync(): void {
    const group = this.#waiting;
    const fd = this.#fd;
    if (this.#syncing >= SYNCS_IN_FLIGHT || group === undefined) return;
    this.#waiting = undefined;
    if (fd === undefined || this.#failure) {
      group.resolve();
      return;
    }
    this.#syncing++;
    fsync(fd, (error) => {
      this.#syncing--;
      // A file closed meanwhile was synced by its close.
      if (error && this.#fd === fd) this.#fail(error, []);
      group.resolve();
      this.#startSync();
    });
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

/** Makes a folder's entries durable (the name of a file just created in it). Where a folder cannot be opened or synced (some file systems), there is nothing more to do. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here: the file's own fsyncs are what can be done.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
