/**
 * A backup: the values a destructive run is about to clear, written (and made durable) before the
 * call that clears them, so that `metaclear restore <backup>` can put them back.
 *
 * JSON lines. The first is the header: what the backup is of, never a credential:
 *   {"metaclear":"backup","version":2,"api":"edge-impulse","baseUrl":"https://…/v1",
 *    "target":{"projectId":1,"category":"training","metadataKey":"site"},"created":"…"}
 * then one line per sample or file:
 *   Edge Impulse      {"id":12,"value":"lab"}
 *   Oracle Documents  {"fileId":"F1","values":{"A1":"x","A2":"y"}}
 * and, in an Edge Impulse backup, one line per job a clear call started, written (and made durable)
 * as soon as the server's answer names it, so that a restore can wait for it first:
 *   Edge Impulse job  {"jobId":7}
 * and one line per clear call whose answer was lost (it may have started a job no line names; a
 * restore refuses until the operator says the project's jobs have ended, --lost-jobs-ended):
 *   Edge Impulse lost answer  {"lostAnswer":{"samples":100}}
 * A last line cut short by a kill is ignored (its item was not cleared: the backup line is made
 * durable before the clear is sent). Lines of any length are read back.
 *
 * Version 2 (Oracle Documents) adds the outcome of each clear, a line written once the DELETE of an
 * entry is answered:
 *   {"clear":"done","line":5,"fileId":"F1"}     the server answered with success: the values of line 5 were cleared
 *   {"clear":"refused","line":5,"fileId":"F1"}  the DELETE failed, and the file read again at once still held
 *                                                every value of line 5: nothing was cleared (observed, not
 *                                                inferred from the answer, which a retried call can make wrong)
 * `line` is the entry's line number in the file (the header is line 1). An entry without an outcome
 * line is one whose DELETE may have gone out: the run stopped (a kill, a network failure, a 5xx, a
 * cancel) before an answer was seen. A restore takes, for each file, the entries whose clear was not
 * refused, merged in file order (a later entry's value of a field wins): a file backed up again by a
 * resumed run (the first DELETE refused, or done and then the run killed before its journal line) is
 * put back as it was before the last clear that may have changed it. An entry whose clear was refused
 * and that no later entry follows is not applied: its file was never cleared. Version 1 (no outcome
 * lines) is read the same way, every entry counting as a clear that may have gone out.
 */
import { closeSync, createReadStream, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { describe } from '../../core/validate.js';
import { RecordFile, type RecordWriteError } from '../bulk/record-file.js';
import { UsageError } from '../errors.js';

export const BACKUP_VERSION = 2;
/** The versions this metaclear reads. */
export const READABLE_BACKUP_VERSIONS: readonly number[] = [1, 2];

export interface EdgeImpulseTarget {
  projectId: number;
  category: string;
  metadataKey: string;
}

export interface OracleTarget {
  collection: string;
  fields: string[];
}

export type BackupHeader =
  | { api: 'edge-impulse'; baseUrl: string; target: EdgeImpulseTarget; created: string }
  | { api: 'oracle-documents'; baseUrl: string; target: OracleTarget; created: string };

export interface EdgeImpulseEntry {
  id: number;
  value: string;
}

export interface OracleEntry {
  fileId: string;
  /** The file's own values of the target's fields that held one (Oracle's are strings; numbers and booleans are kept as read). */
  values: Record<string, string | number | boolean>;
}

/** A base URL as a backup records it: no credentials, no query, no fragment. */
export function recordedBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/$/, '');
}

/** The first 64 kB of a file (a header line is far shorter). */
function headOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A target as compared between runs: an Oracle target's fields in sorted order (the order given does not matter). */
function comparable(target: BackupHeader['target']): unknown {
  return 'fields' in target ? { ...target, fields: [...target.fields].sort() } : target;
}

/**
 * Cuts off what follows the file's last newline: an entry a failed write or a kill left short.
 * Its file was not cleared (the DELETE is sent only once the entry is written whole), so nothing is
 * lost; left in place, it would sit in the middle of the backup once this run appends, where the
 * restore refuses any line that is not JSON.
 */
function dropCutLine(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const block = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - block.length);
      const read = readSync(fd, block, 0, end - start, start);
      const at = block.subarray(0, read).lastIndexOf(0x0a);
      if (at >= 0) {
        if (start + at + 1 < size) ftruncateSync(fd, start + at + 1);
        return;
      }
      end = start;
    }
    // No newline at all: not even the header is whole (checkSameTarget refuses such a file first).
  } finally {
    closeSync(fd);
  }
}

/** The number of lines of a file (its newlines), read in blocks: memory stays flat whatever its size. */
function countLines(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.alloc(64 * 1024);
    let lines = 0;
    for (let position = 0; ; ) {
      const read = readSync(fd, block, 0, block.length, position);
      if (read === 0) return lines;
      position += read;
      for (let at = block.indexOf(0x0a); at >= 0 && at < read; at = block.indexOf(0x0a, at + 1)) lines++;
    }
  } finally {
    closeSync(fd);
  }
}

/** The backup could not be written: what it would hold must not be cleared. */
export class BackupWriteError extends Error {
  override name = 'BackupWriteError';
  constructor(
    readonly path: string,
    override readonly cause: RecordWriteError,
  ) {
    super(`the backup ${path} cannot be written (${cause.code ?? cause.message}); nothing it would hold is cleared`);
  }
}

/** A new backup file: refuses a path that exists (a backup is never overwritten). */
export class BackupWriter<Entry> {
  readonly #file: RecordFile;
  #entries = 0;
  /** Lines in the file so far (the header is line 1): the next line's number is one more. */
  #lines: number;

  private constructor(file: RecordFile, lines: number) {
    this.#file = file;
    this.#lines = lines;
  }

  static create<E>(path: string, flag: string, header: BackupHeader): BackupWriter<E> {
    let file: RecordFile;
    try {
      file = new RecordFile(path, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'EEXIST'
          ? `${flag} ${path} already exists; a backup is never overwritten: choose another path`
          : `${flag} ${path} cannot be created: ${(error as Error).message}`,
      );
    }
    const { api, baseUrl, target, created } = header;
    file.line(JSON.stringify({ metaclear: 'backup', version: BACKUP_VERSION, api, baseUrl, target, created }));
    file.sync();
    if (file.failure) {
      file.discard();
      throw new UsageError(`${flag} ${path} cannot be written: ${file.failure.code}`);
    }
    return new BackupWriter<E>(file, 1);
  }

  /**
   * An existing backup, appended to: the resume of an interrupted run. Refused unless its header
   * binds the same target (API, base URL, and target) as the run's.
   */
  static resume<E>(path: string, flag: string, header: BackupHeader): BackupWriter<E> {
    BackupWriter.checkSameTarget(path, flag, header);
    // A line cut short by a kill or a failed write must not stay in the middle of the backup.
    dropCutLine(path);
    const lines = countLines(path);
    const file = new RecordFile(path, 'a');
    return new BackupWriter<E>(file, lines);
  }

  /** Throws a UsageError unless the backup at `path` binds the same target as `header`. */
  static checkSameTarget(path: string, flag: string, header: BackupHeader): void {
    let existing: BackupHeader;
    try {
      const first = headOf(path).split('\n', 1)[0];
      existing = parseHeader(path, first === '' ? undefined : first);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`${flag} ${error.message}; choose another path`);
      throw new UsageError(`${flag} ${path} cannot be read: ${(error as Error).message}`);
    }
    const same =
      existing.api === header.api &&
      existing.baseUrl === header.baseUrl &&
      JSON.stringify(comparable(existing.target)) === JSON.stringify(comparable(header.target));
    if (!same) {
      throw new UsageError(
        `${flag} ${path} is the backup of another run (${existing.api} ${existing.baseUrl} ${JSON.stringify(existing.target)}); a backup is never overwritten: choose another path`,
      );
    }
  }

  get path(): string {
    return this.#file.path;
  }

  /** The permissions the backup had before this run made it private (0600), when they were wider. */
  get tightened(): number | undefined {
    return this.#file.tightened;
  }

  /** Entries written so far. */
  get entries(): number {
    return this.#entries;
  }

  /**
   * Writes the entry and hands it to the operating system at once (not buffered): once this
   * returns, a kill of the process cannot lose it. Throws BackupWriteError when it cannot be
   * written: nothing it would hold may be cleared. Returns the entry's line number in the file.
   */
  add(entry: Entry): number {
    this.#file.line(JSON.stringify(entry));
    this.#file.flush();
    this.#check();
    this.#entries++;
    return ++this.#lines;
  }

  /**
   * A line that is not an entry (an Oracle clear's outcome, see the header comment): buffered, handed
   * to the operating system with the next entry or turn of the event loop, made durable with the
   * entries (nothing waits on it: a restore derives an outcome that was lost). Throws
   * BackupWriteError when the backup has failed.
   */
  addRecord(record: Record<string, unknown>): void {
    this.#file.line(JSON.stringify(record));
    this.#lines++;
    this.#check();
  }

  /**
   * Writes the entry and resolves once it is on disk (written and fsynced): the call that clears
   * what it holds may go out then, not before. Concurrent commits share one fsync (group commit).
   * Rejects with BackupWriteError when it cannot be written or synced. Resolves to the entry's line
   * number in the file.
   */
  async commit(entry: Entry): Promise<number> {
    const line = this.add(entry);
    await this.#file.durable();
    this.#check();
    return line;
  }

  /** Called once when a write fails (a full disk, a file-size limit), beside the throw. */
  set onFailure(listener: ((error: RecordWriteError) => void) | undefined) {
    this.#file.onFailure = listener;
  }

  /** On disk before anything it holds is cleared. Throws BackupWriteError when it cannot be. */
  sync(): void {
    this.#file.sync();
    this.#check();
  }

  /** Syncs and closes; throws BackupWriteError when what it holds did not all reach the disk. */
  close(): void {
    this.#file.close();
    this.#check();
  }

  #check(): void {
    const failure = this.#file.failure;
    if (failure) throw new BackupWriteError(this.#file.path, failure);
  }
}

export interface OpenedBackup {
  path: string;
  header: BackupHeader;
  /** The header's version (one of READABLE_BACKUP_VERSIONS). */
  version: number;
  /** The entries, read as they are pulled; each with its line number. */
  entries(): AsyncGenerator<{ entry: unknown; line: number }>;
}

function notBackup(path: string, why: string): UsageError {
  return new UsageError(`${path} is not a metaclear backup: ${why}`);
}

function parseHeader(path: string, text: string | undefined): BackupHeader {
  if (text === undefined) throw notBackup(path, 'it is empty');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw notBackup(path, 'its first line is not JSON');
  }
  if (header === null || typeof header !== 'object' || header.metaclear !== 'backup') {
    throw notBackup(path, 'its first line is not a backup header');
  }
  if (!READABLE_BACKUP_VERSIONS.includes(header.version as number)) {
    throw new UsageError(
      `${path} is a backup of version ${JSON.stringify(header.version) ?? '(none)'}; this metaclear reads versions ${READABLE_BACKUP_VERSIONS.join(' and ')}`,
    );
  }
  const target = header.target as Record<string, unknown> | undefined;
  if (typeof header.baseUrl !== 'string' || typeof header.created !== 'string' || !target) {
    throw notBackup(path, 'its header lacks baseUrl, created or target');
  }
  if (
    header.api === 'edge-impulse' &&
    Number.isInteger(target.projectId) &&
    typeof target.category === 'string' &&
    typeof target.metadataKey === 'string'
  ) {
    return header as unknown as BackupHeader;
  }
  if (
    header.api === 'oracle-documents' &&
    typeof target.collection === 'string' &&
    Array.isArray(target.fields) &&
    target.fields.every((f) => typeof f === 'string')
  ) {
    return header as unknown as BackupHeader;
  }
  throw notBackup(path, `its header's api ${describe(header.api)} or target is not one this metaclear knows`);
}

/**
 * Reads a backup's header, and gives its entries to be pulled. Throws UsageError when it is not one.
 * `path` is resolved against `cwd`, and named in messages as it was given.
 */
export async function openBackup(path: string, cwd = process.cwd()): Promise<OpenedBackup> {
  const file = resolvePath(cwd, path);
  const first = await firstLine(file, path);
  const header = parseHeader(path, first);
  return {
    path,
    header,
    version: (JSON.parse(first as string) as { version: number }).version,
    async *entries() {
      const input = createReadStream(file, 'utf8');
      const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
      let line = 0;
      let pending: { text: string; line: number } | undefined;
      try {
        for await (const text of reader) {
          line++;
          if (line === 1) continue;
          if (pending !== undefined) yield { entry: parseEntry(path, pending.text, pending.line), line: pending.line };
          pending = text === '' ? undefined : { text, line };
        }
      } finally {
        reader.close();
        input.destroy();
      }
      if (pending === undefined) return;
      // The last line: cut short by a kill while it was written, its item was never cleared.
      let entry: unknown;
      try {
        entry = JSON.parse(pending.text);
      } catch {
        return;
      }
      yield { entry, line: pending.line };
    },
  };
}

function parseEntry(path: string, text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path}: line ${line} is not JSON; expected one backup entry per line`);
  }
}

async function firstLine(file: string, path: string): Promise<string | undefined> {
  let input: ReturnType<typeof createReadStream>;
  try {
    input = createReadStream(file, 'utf8');
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', reject);
    });
  } catch (error) {
    throw new UsageError(`${path} cannot be read: ${(error as Error).message}`);
  }
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const text of reader) return text;
    return undefined;
  } finally {
    reader.close();
    input.destroy();
  }
}

/** An Edge Impulse entry, checked; names the line when it is not one. */
export function edgeImpulseEntry(path: string, entry: unknown, line: number): EdgeImpulseEntry {
  const e = entry as Partial<EdgeImpulseEntry> | null;
  if (e === null || typeof e !== 'object' || !Number.isInteger(e.id) || typeof e.value !== 'string') {
    throw new UsageError(`${path}: line ${line} is not an Edge Impulse backup entry; expected {"id":…,"value":"…"}`);
  }
  return { id: e.id as number, value: e.value };
}

/** A line of an Edge Impulse backup that names a job the clear started (not a sample's entry). */
export interface EdgeImpulseJobLine {
  jobId: number;
}

/** The job an Edge Impulse backup line names, or undefined when the line is a sample's entry. */
export function edgeImpulseJobLine(path: string, entry: unknown, line: number): EdgeImpulseJobLine | undefined {
  if (entry === null || typeof entry !== 'object' || !('jobId' in entry)) return undefined;
  const { jobId } = entry as { jobId: unknown };
  if (!Number.isInteger(jobId) || (jobId as number) < 0) {
    throw new UsageError(`${path}: line ${line} names no job; expected {"jobId":<integer>}`);
  }
  return { jobId: jobId as number };
}

/**
 * A line of an Edge Impulse backup that says a clear call's answer was lost (a network failure, a
 * timeout, a 5xx or an answer that could not be read): the call may have been done and started a
 * job that no line names, which a restore cannot wait for by itself.
 */
export interface EdgeImpulseLostAnswer {
  lostAnswer: { samples: number };
}

/** Whether an Edge Impulse backup line is a lost answer's (see EdgeImpulseLostAnswer). */
export function isEdgeImpulseLostAnswer(entry: unknown): boolean {
  return entry !== null && typeof entry === 'object' && 'lostAnswer' in entry;
}

/** The outcome of an Oracle entry's clear (a version-2 line; see the header comment). */
export interface OracleClearOutcome {
  clear: 'done' | 'refused';
  /** The entry's line number. */
  line: number;
  fileId: string;
}

/** An Oracle backup line: an entry, or the outcome of an entry's clear. Names the line when it is neither. */
export function oracleLine(
  path: string,
  raw: unknown,
  line: number,
): { entry: OracleEntry; outcome?: undefined } | { outcome: OracleClearOutcome; entry?: undefined } {
  const o = raw as Partial<OracleClearOutcome> | null;
  if (o !== null && typeof o === 'object' && 'clear' in o) {
    if (
      (o.clear !== 'done' && o.clear !== 'refused') ||
      !Number.isInteger(o.line) ||
      (o.line as number) < 2 ||
      (o.line as number) >= line ||
      typeof o.fileId !== 'string'
    ) {
      throw new UsageError(
        `${path}: line ${line} is not the outcome of a clear; expected {"clear":"done"|"refused","line":<an earlier line>,"fileId":"…"}`,
      );
    }
    return { outcome: { clear: o.clear, line: o.line as number, fileId: o.fileId } };
  }
  return { entry: oracleEntry(path, raw, line) };
}

/** An Oracle entry, checked; names the line when it is not one. */
export function oracleEntry(path: string, entry: unknown, line: number): OracleEntry {
  const e = entry as Partial<OracleEntry> | null;
  const values = e?.values as Record<string, unknown> | undefined;
  if (
    e === null ||
    typeof e !== 'object' ||
    typeof e.fileId !== 'string' ||
    values === null ||
    typeof values !== 'object' ||
    Array.isArray(values) ||
    !Object.values(values).every(
      (v) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)),
    )
  ) {
    throw new UsageError(`${path}: line ${line} is not an Oracle backup entry; expected {"fileId":"…","values":{…}}`);
  }
  return { fileId: e.fileId, values: values as OracleEntry['values'] };
}
