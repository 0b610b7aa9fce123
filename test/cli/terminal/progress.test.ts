/**
 * The progress reporter of long runs (src/cli/terminal/progress.ts), on a clock the test moves: the
 * bar counts skipped items, the lines mode prints at its interval what was done of the total, the
 * rate, the failures and the time left; --progress none prints nothing, auto follows the terminal.
 */
import { Readable } from 'node:stream';
import { type CliContext, createContext } from '../../../src/cli/context.js';
import { JobProgress } from '../../../src/cli/terminal/job-progress.js';
import {
  duration,
  PROGRESS_INTERVAL_ENV,
  type ProgressClock,
  type ProgressMode,
  startProgress,
} from '../../../src/cli/terminal/progress.js';
import { Redactor } from '../../../src/core/redact.js';

/** A clock whose time moves only when the test says, firing the timers that fall due. */
class ManualClock implements ProgressClock {
  time = 0;
  readonly #timers = new Set<{ ms: number; next: number; tick: () => void }>();

  now = (): number => this.time;

  every(ms: number, tick: () => void): () => void {
    const timer = { ms, next: this.time + ms, tick };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.#timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (due === undefined) break;
      this.time = due.next;
      due.next += due.ms;
      due.tick();
    }
    this.time = end;
  }

  get pending(): number {
    return this.#timers.size;
  }
}

function context(options: { isTTY: boolean; env?: Record<string, string>; clock: ManualClock }) {
  let stderr = '';
  const ctx: CliContext = createContext(
    {
      argv: [],
      env: options.env ?? {},
      stdin: Readable.from([]),
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      isTTY: options.isTTY,
      columns: 80,
      cwd: '/',
      onSignal: () => () => undefined,
      now: options.clock.now,
    },
    new Redactor(),
  );
  return { ctx, stderr: () => stderr };
}

/** What a terminal shows last: the text after the last in-place redraw. */
const lastDrawn = (stderr: string): string =>
  stderr
    .split('\r\x1b[2K')
    .filter((s) => s !== '')
    .at(-1) ?? '';

describe('the bar (a terminal, or --progress bar)', () => {
  it('counts the files the journal skips: a resumed run ends at 100%, 400/400', () => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY: true, clock });
    let skipped = 0;
    const progress = startProgress(ctx, { total: 400, skipped: () => skipped, clock });
    expect(lastDrawn(stderr())).toMatch(/ 0% 0\/400 · 0 failed · 0\.0 s$/);
    // 115 files done per the journal, then 285 run by this one (3 of them failing).
    skipped = 115;
    for (let done = 1; done <= 285; done++) {
      clock.advance(10);
      progress.update({ done, failed: done > 282 ? done - 282 : 0 });
    }
    clock.advance(100);
    expect(lastDrawn(stderr())).toMatch(/ 100% 400\/400 · 3 failed · 115 skipped · 2\.9 s$/);
    progress.stop();
    expect(stderr().endsWith('\r\x1b[2K')).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('once stopped (a Ctrl-C says what it does), updates draw nothing more', () => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY: true, clock });
    const progress = startProgress(ctx, { total: 10, clock });
    progress.stop();
    const before = stderr();
    clock.advance(1000);
    progress.update({ done: 5, failed: 0 });
    clock.advance(1000);
    progress.stop();
    expect(stderr()).toBe(before);
  });

  it('a run whose last files are all skipped still shows them: redrawn every 100 ms', () => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY: true, clock });
    let skipped = 0;
    startProgress(ctx, { total: 10, skipped: () => skipped, clock });
    skipped = 10;
    clock.advance(100);
    expect(lastDrawn(stderr())).toMatch(/ 100% 10\/10 · 0 failed · 10 skipped · 0\.1 s$/);
  });

  it('a counter when the total is unknown (stdin)', () => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY: true, clock });
    const progress = startProgress(ctx, { total: undefined, clock });
    clock.advance(450);
    progress.update({ done: 7, failed: 1 });
    clock.advance(50);
    expect(lastDrawn(stderr())).toBe('7 done · 1 failed · 0.5 s');
  });
});

describe('lines (stderr not a terminal, or --progress lines)', () => {
  it('one line every 10 s: done of total, rate, failures, time left; nothing before the first interval', () => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY: false, clock });
    const progress = startProgress(ctx, { total: 4000, clock });
    progress.update({ done: 500, failed: 0 });
    clock.advance(9_999);
    expect(stderr()).toBe('');
    clock.advance(1);
    expect(stderr()).toBe(
      'progress: 500/4000 files (12%) · 50.0 files/s · 0 failed · about 70 s left · 10 s elapsed\n',
    );
    progress.update({ done: 1000, failed: 2 });
    clock.advance(10_000);
    expect(stderr().split('\n')[1]).toBe(
      'progress: 1000/4000 files (25%) · 50.0 files/s · 2 failed · about 60 s left · 20 s elapsed',
    );
    progress.stop();
    clock.advance(60_000);
    expect(stderr().split('\n')).toHaveLength(3);
    expect(stderr()).not.toContain('\r');
  });

  it('skipped files count as done, and take no time: the rate and the time left are of the requests', () => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY: false, clock });
    const progress = startProgress(ctx, { total: 400, skipped: () => 115, clock });
    progress.update({ done: 100, failed: 1 });
    clock.advance(10_000);
    expect(stderr()).toBe(
      'progress: 215/400 files (53%) · 10.0 files/s · 1 failed · 115 skipped · about 19 s left · 10 s elapsed\n',
    );
  });

  it('says the time left is unknown before anything is done, and 0 at the end; no total: no time left', () => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY: false, clock });
    const progress = startProgress(ctx, { total: 4, clock });
    clock.advance(10_000);
    progress.update({ done: 4, failed: 0 });
    clock.advance(10_000);
    const unknown = context({ isTTY: false, clock: new ManualClock() });
    const noTotal = new ManualClock();
    const counted = context({ isTTY: false, clock: noTotal });
    startProgress(counted.ctx, { total: undefined, clock: noTotal }).update({ done: 20, failed: 0 });
    noTotal.advance(10_000);
    expect(stderr().split('\n').slice(0, 2)).toEqual([
      'progress: 0/4 files (0%) · 0.0 files/s · 0 failed · time left unknown · 10 s elapsed',
      'progress: 4/4 files (100%) · 0.2 files/s · 0 failed · 0 s left · 20 s elapsed',
    ]);
    expect(unknown.stderr()).toBe('');
    expect(counted.stderr()).toBe('progress: 20 files · 2.0 files/s · 0 failed · 10 s elapsed\n');
  });

  it(`${PROGRESS_INTERVAL_ENV} sets the interval in seconds; a value that is no number is said, and 10 s used`, () => {
    const clock = new ManualClock();
    const fast = context({ isTTY: false, env: { [PROGRESS_INTERVAL_ENV]: '0.25' }, clock });
    startProgress(fast.ctx, { total: 10, clock });
    clock.advance(1000);
    expect(
      fast
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('progress: ')),
    ).toHaveLength(4);

    const bad = context({ isTTY: false, env: { [PROGRESS_INTERVAL_ENV]: 'soon' }, clock });
    startProgress(bad.ctx, { total: 10, clock });
    expect(bad.stderr()).toBe(
      `warning: ${PROGRESS_INTERVAL_ENV}: expected a positive number of seconds, got "soon"; progress lines every 10 s\n`,
    );
  });
});

describe('the mode', () => {
  it.each<[ProgressMode | undefined, boolean, 'bar' | 'lines' | 'none']>([
    [undefined, true, 'bar'],
    ['auto', true, 'bar'],
    ['auto', false, 'lines'],
    ['bar', false, 'bar'],
    ['lines', true, 'lines'],
    ['none', true, 'none'],
    ['none', false, 'none'],
  ])('--progress %s with stderr a terminal: %s -> %s', (mode, isTTY, shown) => {
    const clock = new ManualClock();
    const { ctx, stderr } = context({ isTTY, clock });
    const progress = startProgress(ctx, { total: 10, mode, clock });
    progress.update({ done: 5, failed: 0 });
    clock.advance(10_000);
    progress.stop();
    if (shown === 'none') expect(stderr()).toBe('');
    if (shown === 'bar') expect(stderr()).toContain('\r\x1b[2K');
    if (shown === 'lines')
      expect(stderr()).toBe('progress: 5/10 files (50%) · 0.5 files/s · 0 failed · about 10 s left · 10 s elapsed\n');
    expect(clock.pending).toBe(0);
  });

  it('a job wait: lines print each poll, none prints nothing', () => {
    const clock = new ManualClock();
    const job = { id: 7, category: 'x', created: '', finished: undefined } as never;
    const lines = context({ isTTY: true, clock });
    new JobProgress(lines.ctx, 7, 'lines').update(job);
    expect(lines.stderr()).toBe(
      'job 7: waiting (Ctrl-C stops waiting; the job keeps running)\njob 7: running (poll 1, 0.0 s)\n',
    );
    const none = context({ isTTY: false, clock });
    const quiet = new JobProgress(none.ctx, 7, 'none');
    quiet.update(job);
    quiet.stop();
    expect(none.stderr()).toBe('');
  });
});

it('durations read as people read them', () => {
  expect([duration(0), duration(89_000), duration(90_000), duration(5_400_000), duration(11_100_000)]).toEqual([
    '0 s',
    '89 s',
    '2 min',
    '1 h 30 min',
    '3 h 05 min',
  ]);
});
