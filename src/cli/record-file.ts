/**
 * A file the CLI records a run in, line by line, as the run goes: each line is handed to the
 * operating system at once (a synchronous write), so a crash or a kill leaves every line written
 * so far, and a second Ctrl-C can add the last lines without waiting for anything.
 */
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';

export class RecordFile {
  #fd: number | undefined;
  #lines = 0;

  /** `flags`: 'wx' a new file, 'w' replace, 'a' append. Throws the fs error (EEXIST...). */
  constructor(
    readonly path: string,
    flags: 'wx' | 'w' | 'a',
  ) {
    this.#fd = openSync(path, flags, 0o644);
  }

  /** Lines written by this run (comments included). */
  get lines(): number {
    return this.#lines;
  }

  line(text: string): void {
    this.write(`${text}\n`);
    this.#lines++;
  }

  /** Raw text, as it is. */
  write(text: string): void {
    if (this.#fd !== undefined) writeSync(this.#fd, text);
  }

  /** Makes what was written durable: on disk, not only handed to the operating system. */
  sync(): void {
    if (this.#fd !== undefined) fsyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Closes and deletes the file (a default-named record with nothing in it). */
  discard(): void {
    this.close();
    unlinkSync(this.path);
  }
}
