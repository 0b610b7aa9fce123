/**
 * The journal of a bulk run (`--journal <path>`): append-only JSON lines. The first line says what
 * it is a journal of (never a credential):
 *   {"metaclear":"journal","version":2,"api":"oracle-documents","operation":"delete-metadata",
 *    "origin":"https://tenant.example.com","collection":"CollectionA","fields":["A1","A2"],"created":…}
 * then one line per finished file, with its position in the input (`n`: the n-th ID, from 1):
 *   {"n":1,"fileId":"F1","ok":true}   {"n":2,"fileId":"F2","ok":false,"cause":"HTTP 404 Not Found"}
 * (a cancelled file gets no line). Running the same command with the same journal skips the
 * files that succeeded, and appends to it; a journal of another operation is refused.
 *
 * Reading it back holds no set of every ID done: since the input is read in order, the journal is
 * read as "the first `settled` IDs of the input have each a result", plus the few results beyond
 * that prefix (a run stopped with calls in flight finished them out of order) and the failures
 * inside it (to run again). A hash of the prefix's IDs, in input order, checks that the input is
 * the one the journal was written for. The failures, and the results beyond a gap that memory does
 * not hold, go to a temporary file (journal-spill.ts), read back in input order as the input is:
 * memory does not grow with the journal, its failures or its gaps.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { printable } from '../terminal/printable.js';
import { JournalLock } from './journal-lock.js';
import { JournalSpill, type SpillCursor } from './journal-spill.js';
import { RecordFile } from './record-file.js';

/** What a journal is a journal of. */
export interface JournalTarget {
  api: 'oracle-documents';
  /** delete-metadata: a bulk clear; restore: `metaclear restore` of a backup (its entries are the input). */
  operation: 'delete-metadata' | 'restore';
  /** The base URL's origin (scheme, host, port): no path, no user info. */
  origin: string;
  collection: string;
  /** Sorted. */
  fields: string[];
}

export const JOURNAL_VERSION = 2;

/** A journal line longer than this is refused (the longest it writes is a few kB: an ID is at most 1,024 bytes). */
const MAX_JOURNAL_LINE_BYTES = 16 * 1024 * 1024;

/** An order-dependent 64-bit hash of a sequence of IDs (two 32-bit FNV-1a lanes). */
export class IdSequenceHash {
  #a = 0x811c9dc5;
  #b = 0x01000193;

  add(id: string): void {
    let a = this.#a;
    let b = this.#b;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 16777619);
      b = Math.imul(b ^ c, 2246822519);
    }
    // The end of one ID, so that ["ab","c"] and ["a","bc"] differ.
    this.#a = Math.imul(a ^ 0x10ffff, 16777619);
    this.#b = Math.imul(b ^ 0x10ffff, 2246822519);
  }

  get value(): string {
    return `${(this.#a >>> 0).toString(16).padStart(8, '0')}${(this.#b >>> 0).toString(16).padStart(8, '0')}`;
  }
}

/** The results beyond the prefix held in memory at most; any further ones are spilled (journal-spill.ts). */
export const MAX_HELD_BEYOND = 4096;

/**
 * What the journal says of the input, read back, in memory that does not grow with the journal:
 * the prefix (its length and the hash of its IDs), at most MAX_HELD_BEYOND results beyond it, and
 * in a temporary file (JournalSpill) the failures inside it, the successes recorded for positions
 * inside it (a failure run again), and the results beyond it that the memory does not hold.
 */
export class JournalRecord {
  /** The first `settled` IDs of the input each have a result (success or failure). */
  settled = 0;
  readonly #hash = new IdSequenceHash();
  /** Results beyond the prefix, by position (at most MAX_HELD_BEYOND). */
  readonly #beyond = new Map<number, { fileId: string; ok: boolean }>();
  /** Once a position beyond had to be spilled, every new one is: a position is held or spilled, never both. */
  #spilling = false;
  readonly #spill = new JournalSpill();

  add(n: number, fileId: string, ok: boolean): void {
    if (n <= this.settled) {
      // A success may end a failure inside the prefix (folded in position order by the cursor).
      if (ok) this.#spill.add(n, fileId, true);
      return;
    }
    const known = this.#beyond.get(n);
    if (known === undefined && (this.#spilling || this.#beyond.size >= MAX_HELD_BEYOND)) {
      this.#spilling = true;
      this.#spill.add(n, fileId, ok);
      return;
    }
    this.#beyond.set(n, { fileId, ok: ok || (known?.ok === true && known.fileId === fileId) });
    for (let next = this.#beyond.get(this.settled + 1); next !== undefined; next = this.#beyond.get(this.settled + 1)) {
      this.#beyond.delete(this.settled + 1);
      this.settled++;
      this.#hash.add(next.fileId);
      if (!next.ok) this.#spill.add(this.settled, next.fileId, false);
    }
  }

  /** The hash of the prefix's IDs in input order. */
  get prefixHash(): string {
    return this.#hash.value;
  }

  /** Results held in memory (beyond the prefix): never more than MAX_HELD_BEYOND. */
  get held(): number {
    return this.#beyond.size;
  }

  /** Entries written to the temporary file. */
  get spilled(): number {
    return this.#spill.count;
  }

  /** The result beyond the prefix at position n held in memory, if any (a spilled one: cursor()). */
  beyond(n: number): { fileId: string; ok: boolean } | undefined {
    return this.#beyond.get(n);
  }

  /** A walk of the spilled results in position order, seeing every entry added so far. */
  cursor(): SpillCursor | undefined {
    this.#spill.seal();
    return this.#spill.cursor();
  }

  /** Removes the temporary file (it is unlinked already: its space is given back). */
  close(): void {
    this.#spill.close();
  }
}

/** The input is not the one the journal was written for. */
export class JournalInputError extends UsageError {
  override name = 'JournalInputError';
}

/**
 * Decides, ID by ID in input order, whether a file is run or skipped (it succeeded in an earlier
 * run), and checks the input against the journal as it goes. One per pass over the input.
 */
export class JournalPlan {
  readonly #hash = new IdSequenceHash();
  readonly #spilled: SpillCursor | undefined;
  constructor(
    private readonly record: JournalRecord,
    private readonly describe: string,
    private readonly inputName: string,
  ) {
    this.#spilled = record.cursor();
  }

  /**
   * true: run it; false: skip it. Throws a JournalInputError when the input is not the journal's.
   * Positions are asked in increasing order (the input is read in order).
   */
  run(n: number, fileId: string): boolean {
    const record = this.record;
    const spilled = this.#spilled?.take(n);
    if (n <= record.settled) {
      this.#hash.add(fileId);
      const failed = spilled !== undefined && !spilled.ok;
      if (failed && spilled.fileId !== fileId) this.#mismatch(n, fileId, spilled.fileId);
      if (n === record.settled && this.#hash.value !== record.prefixHash) {
        throw new JournalInputError(
          `${this.inputName} is not the input ${this.describe} was written for: its first ${record.settled} file IDs differ from those the journal records; use the same input, or another journal`,
        );
      }
      return failed;
    }
    const entry = spilled ?? record.beyond(n);
    if (entry === undefined) return true;
    if (entry.fileId !== fileId) this.#mismatch(n, fileId, entry.fileId);
    return !entry.ok;
  }

  /** At the end of the input: `count` IDs read. */
  end(count: number): void {
    if (count < this.record.settled) {
      throw new JournalInputError(
        `${this.inputName} has ${count} file IDs, but ${this.describe} records results for its first ${this.record.settled}: it is not the input the journal was written for; use the same input, or another journal`,
      );
    }
  }

  #mismatch(n: number, fileId: string, expected: string): never {
    throw new JournalInputError(
      `${this.inputName} is not the input ${this.describe} was written for: its file ID number ${n} is ${printable(JSON.stringify(fileId))}, the journal's is ${printable(JSON.stringify(expected))}; use the same input, or another journal`,
    );
  }
}

/** Every line of a file, read synchronously in 256 KiB chunks: no limit a line it wrote could exceed. */
function forEachLine(path: string, each: (text: string, line: number) => void, name: string): boolean {
  const fd = openSync(path, 'r');
  let endsWithNewline = true;
  try {
    const chunk = Buffer.allocUnsafe(1 << 18);
    let rest: Buffer = Buffer.alloc(0);
    let line = 0;
    let position = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      position += read;
      const bytes = rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      const last = bytes.lastIndexOf(0x0a);
      if (last === -1) {
        rest = Buffer.from(bytes);
      } else {
        const text = bytes.toString('utf8', 0, last + 1);
        for (let start = 0, end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
          each(text.slice(start, end), ++line);
        }
        rest = Buffer.from(bytes.subarray(last + 1));
      }
      if (rest.length > MAX_JOURNAL_LINE_BYTES) {
        throw new UsageError(
          `${name}: line ${line + 1} is longer than ${MAX_JOURNAL_LINE_BYTES} bytes; it is not a journal metaclear wrote`,
        );
      }
    }
    if (rest.length > 0) {
      endsWithNewline = false;
      each(rest.toString('utf8'), ++line);
    }
  } finally {
    closeSync(fd);
  }
  return endsWithNewline;
}

interface Entry {
  n?: unknown;
  fileId?: unknown;
  ok?: unknown;
}

const ENTRY_START = '{"n":';
const ID_START = '"fileId":"';

/**
 * A journal entry. The lines this module writes, `{"n":…,"fileId":"…","ok":…}` with an ID that
 * needs no escape, are read without JSON.parse (a million of them in a fraction of the time and
 * garbage); any other line is parsed as JSON. undefined: not JSON (a line cut short).
 */
function parseEntry(text: string): Entry | undefined {
  if (text.startsWith(ENTRY_START)) {
    const comma = text.indexOf(',', ENTRY_START.length);
    const idStart = comma + 1 + ID_START.length;
    if (comma > 0 && text.startsWith(ID_START, comma + 1)) {
      const idEnd = text.indexOf('"', idStart);
      const id = idEnd > 0 ? text.slice(idStart, idEnd) : '';
      const tail = idEnd > 0 ? text.slice(idEnd + 1) : '';
      const n = Number(text.slice(ENTRY_START.length, comma));
      if (!id.includes('\\') && (tail === ',"ok":true}' || tail.startsWith(',"ok":false,"cause":'))) {
        if (tail === ',"ok":true}') return { n, fileId: id, ok: true };
        if (tail.endsWith('"}')) return { n, fileId: id, ok: false };
      }
    }
  }
  try {
    return JSON.parse(text) as Entry;
  } catch {
    return undefined;
  }
}

function headerOf(target: JournalTarget, now: number): string {
  return JSON.stringify({
    metaclear: 'journal',
    version: JOURNAL_VERSION,
    ...target,
    created: new Date(now).toISOString(),
  });
}

/** What differs between the journal's target and this run's, in words; empty when they are the same. */
function differences(theirs: Record<string, unknown>, mine: JournalTarget): string[] {
  const out: string[] = [];
  const show = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : String(value));
  const keys: [keyof JournalTarget, string][] = [
    ['api', 'API'],
    ['operation', 'operation'],
    ['origin', 'base URL origin'],
    ['collection', 'collection'],
    ['fields', 'fields'],
  ];
  for (const [key, words] of keys) {
    if (JSON.stringify(theirs[key]) !== JSON.stringify(mine[key])) {
      out.push(`${words} ${show(theirs[key])} in the journal, ${show(mine[key])} in this run`);
    }
  }
  return out;
}

export class Journal {
  private constructor(
    readonly file: RecordFile,
    readonly record: JournalRecord,
    readonly lock: JournalLock,
  ) {}

  get path(): string {
    return this.file.path;
  }

  /**
   * Takes the journal's lock, reads the journal (it must be one, of this operation) or starts a new
   * one (a path that does not exist, or an empty file), and opens it to append.
   */
  static open(path: string, flag: string, target: JournalTarget, now: number, shown = path): Journal {
    const name = `${flag} ${shown}`;
    const lock = JournalLock.take(path, name, now);
    try {
      const record = new JournalRecord();
      if (!existsSync(path) || statSync(path).size === 0) {
        const file = new RecordFile(path, existsSync(path) ? 'a' : 'wx');
        file.line(headerOf(target, now));
        file.sync();
        if (file.failure) throw new UsageError(`${name}: ${file.failure.message}`);
        return new Journal(file, record, lock);
      }
      let header: Record<string, unknown> | undefined;
      const complete = forEachLine(
        path,
        (text, line) => {
          if (line === 1) {
            header = Journal.#header(text, name, target);
            return;
          }
          if (text === '') return;
          const entry = parseEntry(text);
          // A line cut short by a kill or a full disk while it was written: that file is not done.
          if (entry === undefined) return;
          if (
            typeof entry.fileId !== 'string' ||
            typeof entry.n !== 'number' ||
            !Number.isInteger(entry.n) ||
            entry.n < 1
          ) {
            throw new UsageError(`${name}: line ${line} is not a journal entry`);
          }
          record.add(entry.n, entry.fileId, entry.ok === true);
        },
        name,
      );
      if (header === undefined) throw new UsageError(`${name} is not a metaclear journal; choose another path`);
      const file = new RecordFile(path, 'a');
      // A line cut short must not swallow the first line of this run.
      if (!complete) file.write('\n');
      return new Journal(file, record, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  static #header(text: string, name: string, target: JournalTarget): Record<string, unknown> {
    if (text.startsWith('# metaclear journal v1')) {
      throw new UsageError(
        `${name} was written by an earlier metaclear (journal v1), which did not record what it is a journal of; start a new journal (another path)`,
      );
    }
    let header: Record<string, unknown> | undefined;
    try {
      header = JSON.parse(text) as Record<string, unknown>;
    } catch {
      header = undefined;
    }
    if (header === null || typeof header !== 'object' || header.metaclear !== 'journal') {
      throw new UsageError(
        `${name} is not a metaclear journal (its first line is not a journal header); choose another path`,
      );
    }
    if (header.version !== JOURNAL_VERSION) {
      throw new UsageError(
        `${name} is a journal of version ${String(header.version)}; this metaclear reads version ${JOURNAL_VERSION}`,
      );
    }
    const differ = differences(header, target);
    if (differ.length > 0) {
      throw new UsageError(
        `${name} is the journal of another operation: ${differ.join('; ')}; resume it with the same flags, or use another journal`,
      );
    }
    return header;
  }

  /** Records a finished file at input position `n`. */
  entry(n: number, fileId: string, ok: true): void;
  entry(n: number, fileId: string, ok: false, cause: string): void;
  entry(n: number, fileId: string, ok: boolean, cause?: string): void {
    this.file.line(JSON.stringify(ok ? { n, fileId, ok } : { n, fileId, ok, cause }));
  }

  /** Syncs and closes the journal, then gives the lock back. Never throws. */
  close(): void {
    this.file.close();
    this.record.close();
    this.lock.release();
  }
}
