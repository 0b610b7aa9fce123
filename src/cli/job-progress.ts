/**
 * Progress of `--wait` on stderr: a spinner line redrawn in place when stderr is a terminal,
 * one plain line per poll otherwise (logs, CI).
 */
import type { Job } from '../index.js';
import type { CliContext } from './context.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 100;

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function state(job: Job | undefined): string {
  if (job === undefined) return 'waiting for the first status';
  if (job.finished === undefined) return 'running';
  return job.finishedSuccessful === true ? 'finished' : 'failed';
}

export class JobProgress {
  readonly #ctx: CliContext;
  readonly #jobId: number;
  readonly #started: number;
  #polls = 0;
  #last: Job | undefined;
  #frame = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(ctx: CliContext, jobId: number) {
    this.#ctx = ctx;
    this.#jobId = jobId;
    this.#started = ctx.now();
    if (ctx.deps.isTTY) {
      this.#timer = setInterval(() => this.#draw(), REDRAW_MS);
      this.#timer.unref();
      this.#draw();
    } else {
      ctx.err.line(`job ${jobId}: waiting (Ctrl-C stops waiting; the job keeps running)`);
    }
  }

  get polls(): number {
    return this.#polls;
  }

  elapsed(): string {
    return seconds(this.#ctx.now() - this.#started);
  }

  /** After each status request. */
  update(job: Job): void {
    this.#polls++;
    this.#last = job;
    if (this.#ctx.deps.isTTY) this.#draw();
    else this.#ctx.err.line(`job ${this.#jobId}: ${state(job)} (poll ${this.#polls}, ${this.elapsed()})`);
  }

  /** Stops the spinner and leaves the line clean for what follows. */
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#ctx.err.write('\r\x1b[2K');
  }

  #draw(): void {
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    const polls = `${this.#polls} poll${this.#polls === 1 ? '' : 's'}`;
    this.#ctx.err.write(`\r\x1b[2K${frame} job ${this.#jobId}: ${state(this.#last)} · ${polls} · ${this.elapsed()}`);
  }
}
