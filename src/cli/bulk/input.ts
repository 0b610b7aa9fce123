/**
 * The files a bulk run takes, in input order: each ID with its position (`n`, the n-th ID, from 1)
 * and its line, minus those the journal says succeeded already and the lines before --from-line.
 * Read lazily: the runner pulls the next one only when a call may start.
 */
import { type FileIdSource, InputLineError } from './file-ids.js';
import type { JournalPlan } from './journal.js';

export interface BulkItem {
  fileId: string;
  /** Its position among the input's IDs, from 1 (what the journal records). */
  n: number;
  /** Its line in the input. */
  line: number;
}

export class BulkInput {
  /** IDs skipped: done per the journal. */
  skipped = 0;
  /** IDs before --from-line. */
  before = 0;
  /** IDs read so far. */
  read = 0;
  /** The line of the last ID read. */
  lastLine = 0;
  /** Items handed to the runner and not yet started, by the runner's index (the order they were handed out). */
  readonly #handedOut = new Map<number, BulkItem>();
  #handed = 0;
  #ended = false;

  constructor(
    private readonly source: FileIdSource,
    private readonly plan: JournalPlan | undefined,
    private readonly fromLine: number,
  ) {}

  async *items(): AsyncGenerator<BulkItem> {
    for await (const { id, line } of this.source.ids) {
      const n = ++this.read;
      this.lastLine = line;
      if (line < this.fromLine) {
        this.before++;
        continue;
      }
      if (this.plan !== undefined && !this.plan.run(n, id)) {
        this.skipped++;
        continue;
      }
      const item = { fileId: id, n, line };
      this.#handedOut.set(this.#handed++, item);
      yield item;
    }
    this.plan?.end(this.read);
    // An input read once (stdin, a pipe): a start past its last ID is found at its end (a file's, before the run).
    if (this.fromLine > 1 && this.source.lines === undefined && this.read === this.before) {
      throw new InputLineError(
        `--from-line ${this.fromLine}: ${this.source.name} has ${this.lastLine} lines up to its last file ID; expected a line number within it`,
      );
    }
    this.#ended = true;
  }

  /** The input was read to its end and every item handed out was taken: nothing of it is left. */
  get exhausted(): boolean {
    return this.#ended && this.#handedOut.size === 0;
  }

  /** The item the runner took as its `index`-th (the runner takes every item handed out, in order). */
  take(index: number): BulkItem {
    const item = this.#handedOut.get(index) as BulkItem;
    this.#handedOut.delete(index);
    return item;
  }
}
