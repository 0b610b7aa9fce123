/**
 * The progress of a long run, on stderr, in the mode `--progress` chooses:
 *
 *   bar    a bar redrawn in place (a counter when the total is unknown, e.g. stdin), for a terminal
 *   lines  one line every interval (10 s; METACLEAR_PROGRESS_INTERVAL=<seconds> changes it): the
 *          items done of the total, the rate, the failures and the time left, for logs (cron, CI,
 *          nohup, tee), where a redrawn bar would be noise
 *   none   nothing
 *   auto   bar when stderr is a terminal, lines otherwise (the default)
 *
 * Done counts every item accounted for: finished by this run, or skipped without a request (done
 * per the journal, before --from-line), so a resumed run ends at 100%. A run starts its reporter
 * with one call, `startProgress(ctx, { total, mode })`, feeds it counts, and stops it before its
 * summary; the clock (time and the interval's timer) is injectable, so tests are deterministic.
 */
import { type Command, Option } from 'commander';
import type { CliContext } from '../context.js';

export const PROGRESS_MODES = ['auto', 'bar', 'lines', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export interface ProgressFlags {
  progress?: ProgressMode;
}

/** The environment variable that sets --progress when the flag is not given (e.g. `none` for a whole cron job or test run). */
export const PROGRESS_ENV = 'METACLEAR_PROGRESS';
/** The environment variable that sets the lines mode's interval, in seconds (fractions allowed). */
export const PROGRESS_INTERVAL_ENV = 'METACLEAR_PROGRESS_INTERVAL';
export const DEFAULT_INTERVAL_MS = 10_000;
const REDRAW_MS = 100;
const BAR_WIDTH = 30;

export const PROGRESS_HELP = `progress on stderr: bar (redrawn in place), lines (one every 10 s, or ${PROGRESS_INTERVAL_ENV} seconds: done of total, rate, failures, time left), none; auto: bar on a terminal, else lines`;
export const RESTORE_PROGRESS_HELP =
  "progress on stderr: while the clear's jobs run, as for --wait; then the backup's entries settled: bar, lines (one every 10 s), none; auto: bar on a terminal, else lines";
export const JOB_PROGRESS_HELP =
  'progress on stderr while --wait follows a job: bar (a spinner redrawn in place), lines (one per status poll), none; auto: bar on a terminal, else lines';
export const CLEAR_PROGRESS_HELP =
  'progress on stderr while the samples are listed for the backup (a bar, or lines every 10 s) and while --wait follows a job (a spinner, or a line per status poll); none; auto: bar on a terminal, else lines';

/** Registers --progress on a command. */
export function addProgressOption(command: Command, group = 'Output:', help = PROGRESS_HELP): Command {
  return command.addOption(
    new Option('--progress <mode>', help).choices(PROGRESS_MODES).default('auto').env(PROGRESS_ENV).helpGroup(group),
  );
}

/** What a run has done so far (the bulk runner's ManyProgress is one). */
export interface ProgressCounts {
  /** Items finished by this run (succeeded or failed). */
  done: number;
  failed: number;
}

/** Time as the reporter sees it: real time and timers by default. */
export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export interface ProgressOptions {
  /** Items in the whole input, skipped ones included; undefined when unknown (a pipe). */
  total: number | undefined;
  mode?: ProgressMode | undefined;
  /** What is counted, plural (default "files"). */
  noun?: string;
  /**
   * Items accounted for without a request (done per the journal, before --from-line), read at each
   * draw: they count as done, and a run whose last items are skipped still ends at its total.
   */
  skipped?: () => number;
  clock?: ProgressClock;
}

export interface ProgressReporter {
  update(counts: ProgressCounts): void;
  /** Ends the display: a bar is drawn a last time, then cleared, so that what follows starts on a clean line. */
  stop(): void;
}

export function realClock(ctx: CliContext): ProgressClock {
  return {
    now: () => ctx.now(),
    every(ms, tick) {
      const timer = setInterval(tick, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/** The mode `auto` stands for here. */
export function resolveMode(mode: ProgressMode | undefined, isTTY: boolean): Exclude<ProgressMode, 'auto'> {
  if (mode === undefined || mode === 'auto') return isTTY ? 'bar' : 'lines';
  return mode;
}

/** The interval of the lines mode: METACLEAR_PROGRESS_INTERVAL seconds, else 10 s (with a warning when it is not a number). */
export function intervalMs(ctx: CliContext): number {
  const raw = ctx.deps.env[PROGRESS_INTERVAL_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_INTERVAL_MS;
  const seconds = Number(raw);
  if (!(Number.isFinite(seconds) && seconds > 0)) {
    ctx.err.line(
      `warning: ${PROGRESS_INTERVAL_ENV}: expected a positive number of seconds, got ${JSON.stringify(raw)}; progress lines every ${DEFAULT_INTERVAL_MS / 1000} s`,
    );
    return DEFAULT_INTERVAL_MS;
  }
  return Math.max(1, Math.round(seconds * 1000));
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A duration for people: "45 s", "12 min", "3 h 05 min". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/** Starts the progress display of a run: the one call a long run makes. */
export function startProgress(ctx: CliContext, options: ProgressOptions): ProgressReporter {
  const mode = resolveMode(options.mode, ctx.deps.isTTY);
  if (mode === 'none') return { update: () => undefined, stop: () => undefined };
  const clock = options.clock ?? realClock(ctx);
  const display = new Display(clock, options.total, options.noun ?? 'files', options.skipped ?? (() => 0));
  return mode === 'bar' ? new Bar(ctx, clock, display) : new Lines(ctx, clock, display, intervalMs(ctx));
}

/** The counts and what is said of them. */
class Display {
  counts: ProgressCounts = { done: 0, failed: 0 };
  readonly started: number;

  constructor(
    readonly clock: ProgressClock,
    readonly total: number | undefined,
    readonly noun: string,
    readonly skipped: () => number,
  ) {
    this.started = clock.now();
  }

  /** failures, skipped (when any) */
  #tail(skipped: number): string[] {
    return skipped > 0 ? [`${this.counts.failed} failed`, `${skipped} skipped`] : [`${this.counts.failed} failed`];
  }

  bar(width: number): string {
    const skipped = this.skipped();
    const accounted = this.counts.done + skipped;
    const tail = [...this.#tail(skipped), seconds(this.clock.now() - this.started)].join(' · ');
    if (this.total === undefined || this.total === 0) return `${accounted} done · ${tail}`;
    const ratio = Math.min(1, accounted / this.total);
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    return `${bar} ${Math.floor(ratio * 100)}% ${accounted}/${this.total} · ${tail}`;
  }

  line(): string {
    const skipped = this.skipped();
    const accounted = this.counts.done + skipped;
    const elapsed = this.clock.now() - this.started;
    // The rate of this run's own requests; skipped items take none.
    const rate = elapsed > 0 ? (this.counts.done * 1000) / elapsed : 0;
    const parts: string[] = [];
    if (this.total === undefined) {
      parts.push(`${accounted} ${this.noun}`);
    } else {
      const percent = this.total > 0 ? Math.floor(Math.min(1, accounted / this.total) * 100) : 100;
      parts.push(`${accounted}/${this.total} ${this.noun} (${percent}%)`);
    }
    parts.push(`${rate.toFixed(1)} ${this.noun}/s`, ...this.#tail(skipped));
    if (this.total !== undefined) {
      const left = Math.max(0, this.total - accounted);
      if (left === 0) parts.push('0 s left');
      else parts.push(rate > 0 ? `about ${duration((left / rate) * 1000)} left` : 'time left unknown');
    }
    parts.push(`${duration(elapsed)} elapsed`);
    return `progress: ${parts.join(' · ')}`;
  }
}

/** Redrawn in place: on each update (at most every 100 ms) and every 100 ms (a run that only skips, a stall). */
class Bar implements ProgressReporter {
  #drawnAt = Number.NEGATIVE_INFINITY;
  #cancel: (() => void) | undefined;

  constructor(
    private readonly ctx: CliContext,
    private readonly clock: ProgressClock,
    private readonly display: Display,
  ) {
    this.#draw();
    this.#cancel = clock.every(REDRAW_MS, () => this.#draw());
  }

  update(counts: ProgressCounts): void {
    this.display.counts = { done: counts.done, failed: counts.failed };
    // Once stopped (a Ctrl-C's message, the summary), it is not drawn again.
    if (this.#cancel !== undefined && this.clock.now() - this.#drawnAt >= REDRAW_MS) this.#draw();
  }

  stop(): void {
    if (this.#cancel === undefined) return;
    this.#cancel();
    this.#cancel = undefined;
    this.#draw();
    this.ctx.err.write('\r\x1b[2K');
  }

  #draw(): void {
    this.#drawnAt = this.clock.now();
    const width = Math.max(10, Math.min(BAR_WIDTH, (this.ctx.deps.columns ?? 80) - 50));
    this.ctx.err.write(`\r\x1b[2K${this.display.bar(width)}`);
  }
}

/** One line every interval, from the first interval on (a run shorter than that prints none). */
class Lines implements ProgressReporter {
  #cancel: (() => void) | undefined;

  constructor(
    private readonly ctx: CliContext,
    clock: ProgressClock,
    private readonly display: Display,
    interval: number,
  ) {
    this.#cancel = clock.every(interval, () => this.ctx.err.line(this.display.line()));
  }

  update(counts: ProgressCounts): void {
    this.display.counts = { done: counts.done, failed: counts.failed };
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }
}
