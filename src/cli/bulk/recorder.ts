/**
 * The recorder of a bulk run: it makes each result durable (the journal, the failed-IDs file) and
 * keeps the counts the summary gives, holding nothing per file but the calls in flight (and at most
 * MAX_CAUSES distinct causes). Both files
 * are buffered, and synced at least once a second and on every exit path. A record that cannot be
 * written is reported once (`onFailure`): the run then stops, and the files finished after that
 * are still counted, and named in the summary as not recorded.
 */
import { CancelledError, type ManyResult } from '../../index.js';
import type { BulkCounts } from './counts.js';
import { causeOf } from './failure-cause.js';
import type { BulkItem } from './input.js';
import type { Journal } from './journal.js';
import type { RecordFile, RecordWriteError } from './record-file.js';

/** The most distinct causes the counts name; the failures of any other cause are counted as `other`. */
export const MAX_CAUSES = 20;

/** How often what was recorded is made durable, at least. */
export const SYNC_EVERY_MS = 1000;

export class BulkRecorder {
  readonly counts: BulkCounts = { total: 0, succeeded: 0, failed: 0, cancelled: 0 };
  readonly causes = new Map<string, number>();
  /** The calls in flight, by the runner's index. */
  readonly inFlight = new Map<number, BulkItem>();
  /** The furthest line of the input a call was started for. */
  lastStartedLine = 0;
  #failure: RecordWriteError | undefined;
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(
    readonly journal: Journal | undefined,
    readonly failedFile: RecordFile | undefined,
    private readonly onFailure: (error: RecordWriteError) => void,
  ) {
    for (const file of this.#files()) file.onFailure = (error) => this.#failed(error);
    this.#timer = setInterval(() => this.sync(), SYNC_EVERY_MS);
    this.#timer.unref();
  }

  /** The first record that could not be written, if any. */
  get failure(): RecordWriteError | undefined {
    return this.#failure;
  }

  started(index: number, item: BulkItem): void {
    this.inFlight.set(index, item);
    if (item.line > this.lastStartedLine) this.lastStartedLine = item.line;
  }

  /** Records one finished file; returns its cause when it failed. */
  finished(index: number, result: ManyResult<unknown>): string | undefined {
    const item = this.inFlight.get(index);
    this.inFlight.delete(index);
    const counts = this.counts;
    counts.total++;
    if (result.ok) {
      counts.succeeded++;
      if (item) this.journal?.entry(item.n, result.fileId, true);
      return undefined;
    }
    const cause = causeOf(result.error);
    // One distinct code per file would otherwise keep one entry per file.
    const counted = this.causes.has(cause) || this.causes.size < MAX_CAUSES ? cause : 'other';
    this.causes.set(counted, (this.causes.get(counted) ?? 0) + 1);
    this.failedFile?.line(result.fileId);
    if (result.error instanceof CancelledError) counts.cancelled++;
    else {
      counts.failed++;
      if (item) this.journal?.entry(item.n, result.fileId, false, cause);
    }
    return cause;
  }

  /** A line of the failed-IDs file that is not an ID (`# ...`). */
  note(text: string): void {
    this.failedFile?.line(`# ${text}`);
  }

  /** Makes what was recorded durable (called every second, and before the run's end is said). */
  sync(): void {
    for (const file of this.#files()) file.sync();
  }

  /** Syncs and closes both files and gives the journal's lock back; idempotent, never throws. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.failedFile?.close();
    this.journal?.close();
  }

  #files(): RecordFile[] {
    return [this.journal?.file, this.failedFile].filter((file): file is RecordFile => file !== undefined);
  }

  #failed(error: RecordWriteError): void {
    if (this.#failure) return;
    this.#failure = error;
    this.onFailure(error);
  }
}
