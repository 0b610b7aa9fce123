/**
 * Progress of `--wait` on stderr, in the mode `--progress` chooses (progress.ts): bar, a
 * spinner line redrawn in place (auto, on a terminal); lines, one plain line per poll (auto,
 * elsewhere: logs, CI); none, nothing.
 */
import type { Job } from '../../index.js';
import type { CliContext } from '../context.js';
import { type ProgressMode, resolveMode, seconds } from './progress.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 100;

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
  readonly #mode: 'bar' | 'lines' | 'none';

  constructor(ctx: CliContext, jobId: number, mode?: ProgressMode) {
    this.#ctx = ctx;
    this.#jobId = jobId;
    this.#started = ctx.now();
    this.#mode = resolveMode(mode, ctx.deps.isTTY);
    if (this.#mode === 'bar') {
      this.#timer = setInterval(() => this.#draw(), REDRAW_MS);
      this.#timer.unref();
      this.#draw();
    } else if (this.#mode === 'lines') {
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
    if (this.#mode === 'bar') this.#draw();
    else if (this.#mode === 'lines')
      this.#ctx.err.line(`job ${this.#jobId}: ${state(job)} (poll ${this.#polls}, ${this.elapsed()})`);
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
