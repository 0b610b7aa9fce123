/**
 * The progress bar of a bulk run, on stderr and only when stderr is a terminal: a bar when the
 * total is known (a file counted beforehand), a counter when it is not (stdin).
 */
import type { ManyProgress } from '../index.js';
import type { CliContext } from './context.js';
import { seconds } from './job-progress.js';

const REDRAW_MS = 100;
const BAR_WIDTH = 30;

export class BulkProgress {
  readonly #ctx: CliContext;
  readonly #total: number | undefined;
  readonly #started: number;
  #last: ManyProgress = { done: 0, succeeded: 0, failed: 0, concurrency: 0 };
  #drawnAt = 0;
  readonly #active: boolean;

  constructor(ctx: CliContext, total: number | undefined) {
    this.#ctx = ctx;
    this.#total = total;
    this.#started = ctx.now();
    this.#active = ctx.deps.isTTY;
    if (this.#active) this.#draw();
  }

  update(progress: ManyProgress): void {
    this.#last = progress;
    if (!this.#active) return;
    const now = this.#ctx.now();
    if (now - this.#drawnAt >= REDRAW_MS) this.#draw();
  }

  /** Clears the bar: what follows starts on a clean line. */
  stop(): void {
    if (this.#active) this.#ctx.err.write('\r\x1b[2K');
  }

  #draw(): void {
    this.#drawnAt = this.#ctx.now();
    const { done, failed } = this.#last;
    const elapsed = seconds(this.#drawnAt - this.#started);
    const tail = `${failed} failed · ${elapsed}`;
    let line: string;
    if (this.#total !== undefined && this.#total > 0) {
      const ratio = Math.min(1, done / this.#total);
      const width = Math.max(10, Math.min(BAR_WIDTH, (this.#ctx.deps.columns ?? 80) - 50));
      const filled = Math.round(ratio * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      line = `${bar} ${Math.floor(ratio * 100)}% ${done}/${this.#total} · ${tail}`;
    } else {
      line = `${done} done · ${tail}`;
    }
    this.#ctx.err.write(`\r\x1b[2K${line}`);
  }
}
