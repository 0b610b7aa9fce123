/**
 * What a journal's read-back cannot keep in memory, kept in a temporary file instead: the failures
 * to run again, the successes that override them, and the results beyond a gap (the first file
 * cancelled, every later one done). Entries are added in any order of position; `seal()` sorts
 * them (an external merge sort: sorted runs of RUN_ENTRIES entries, merged as they are read), and
 * each `cursor()` then walks them in position order, for the positions asked in increasing order.
 *
 * Memory: one run being filled, then one read buffer per run; the file is created 0600 in a
 * private temporary folder and unlinked at once (it lives as long as its descriptor: no file is
 * left behind whatever way the process ends).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Entries sorted in memory at once before they are written as a sorted run. */
export const RUN_ENTRIES = 8 * 1024;
/** The read buffer of each run as the runs are merged. */
const READ_BYTES = 16 * 1024;

export interface SpilledResult {
  fileId: string;
  ok: boolean;
}

interface Spilled extends SpilledResult {
  n: number;
}

/** An ID as JSON with every character beyond ASCII escaped: the file is ASCII, read back byte by byte. */
const ascii = (id: string): string =>
  JSON.stringify(id).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const encode = (e: Spilled): string => `${e.n}\t${e.ok ? 1 : 0}\t${ascii(e.fileId)}\n`;

function decode(text: string): Spilled {
  const a = text.indexOf('\t');
  const b = text.indexOf('\t', a + 1);
  return { n: Number(text.slice(0, a)), ok: text[a + 1] === '1', fileId: JSON.parse(text.slice(b + 1)) as string };
}

/** Reads one sorted run of the file, line by line, synchronously. */
class RunReader {
  #buffer = '';
  #position: number;
  head: Spilled | undefined;

  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
  ) {
    this.#position = start;
    this.advance();
  }

  advance(): void {
    let newline = this.#buffer.indexOf('\n');
    while (newline === -1 && this.#position < this.end) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_BYTES, this.end - this.#position));
      const read = readSync(this.fd, chunk, 0, chunk.length, this.#position);
      if (read === 0) break;
      this.#position += read;
      // A run is whole lines of ASCII-escaped JSON and digits: no character is cut in two.
      this.#buffer += chunk.toString('latin1', 0, read);
      newline = this.#buffer.indexOf('\n');
    }
    if (newline === -1) {
      this.head = undefined;
      return;
    }
    this.head = decode(this.#buffer.slice(0, newline));
    this.#buffer = this.#buffer.slice(newline + 1);
  }
}

/** The entries of a sealed spill, in position order (then in the order they were added). */
export class SpillCursor {
  readonly #runs: RunReader[];

  constructor(fd: number, runs: readonly [number, number][]) {
    this.#runs = runs.map(([start, end]) => new RunReader(fd, start, end));
  }

  /**
   * The result at position `n`, folded over its entries in the order they were added (a later
   * success of the same ID makes it done), or undefined when none was spilled. Positions are asked
   * in increasing order; the entries of positions skipped over are passed.
   */
  take(n: number): SpilledResult | undefined {
    let state: SpilledResult | undefined;
    for (;;) {
      // The run whose head comes first: the lowest position, then the earliest run (added first).
      let first: RunReader | undefined;
      for (const run of this.#runs) {
        if (run.head !== undefined && (first === undefined || run.head.n < (first.head as Spilled).n)) first = run;
      }
      const head = first?.head;
      if (first === undefined || head === undefined || head.n > n) return state;
      first.advance();
      if (head.n < n) continue;
      state = {
        fileId: head.fileId,
        ok: head.ok || (state?.ok === true && state.fileId === head.fileId),
      };
    }
  }
}

export class JournalSpill {
  #fd: number | undefined;
  #pending: Spilled[] = [];
  readonly #runs: [number, number][] = [];
  #size = 0;
  #count = 0;

  /** Entries spilled so far. */
  get count(): number {
    return this.#count;
  }

  add(n: number, fileId: string, ok: boolean): void {
    this.#pending.push({ n, fileId, ok });
    this.#count++;
    if (this.#pending.length >= RUN_ENTRIES) this.#writeRun();
  }

  /** Writes the entries added since the last seal as a run: a cursor made now sees them. */
  seal(): void {
    if (this.#pending.length > 0) this.#writeRun();
  }

  cursor(): SpillCursor | undefined {
    if (this.#fd === undefined) return undefined;
    return new SpillCursor(this.#fd, this.#runs);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#pending = [];
  }

  #writeRun(): void {
    const run = this.#pending;
    this.#pending = [];
    // Array.prototype.sort is stable: the entries of one position keep the order they were added in.
    run.sort((a, b) => a.n - b.n);
    const fd = this.#open();
    const start = this.#size;
    for (let i = 0; i < run.length; i += 1024) {
      const bytes = Buffer.from(
        run
          .slice(i, i + 1024)
          .map(encode)
          .join(''),
        'latin1',
      );
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset, this.#size + offset);
      this.#size += bytes.length;
    }
    this.#runs.push([start, this.#size]);
  }

  #open(): number {
    if (this.#fd !== undefined) return this.#fd;
    const folder = mkdtempSync(join(tmpdir(), 'metaclear-journal-'));
    const path = join(folder, 'spill');
    this.#fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    rmdirSync(folder);
    return this.#fd;
  }
}
