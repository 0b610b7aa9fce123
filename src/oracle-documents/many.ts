/**
 * Runs one call per item with bounded concurrency. Items are pulled from the input only as
 * workers free up, so a long input (an iterator over 100,000 files) never becomes 100,000
 * pending requests; results come back in input order, one per item, never as a rejection.
 *
 * Politeness: `maxRatePerSecond` spaces the starts of calls; `adaptive` lowers the number of
 * calls in flight when the server answers 429 or 503 (halved, at most once per round of calls)
 * and raises it again by one after each round of successes (additive increase, multiplicative
 * decrease), never above `concurrency`. Both use `clock`, which a test can replace.
 */
import { MetaclearError, ValidationError } from '../core/errors.js';
import { sleep } from '../core/sleep.js';
import { requireFiniteNumber, requireInteger } from '../core/validate.js';

export type ManyResult<R> = { fileId: string; ok: true; response: R } | { fileId: string; ok: false; error: Error };

export interface ManyProgress {
  /** Items finished so far (succeeded + failed). */
  done: number;
  succeeded: number;
  failed: number;
  /** Calls allowed in flight now (below `concurrency` after the server said it was overloaded). */
  concurrency: number;
}

/** Time as the runner sees it: real time by default. */
export interface ManyClock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface ConcurrencyChange {
  previous: number;
  concurrency: number;
  /** `overload`: a call failed with 429 or 503; `recovered`: a round of calls succeeded. */
  reason: 'overload' | 'recovered';
}

export interface AdaptiveOptions {
  /** The lowest concurrency it may go down to (default 1). */
  minConcurrency?: number;
  /** Which failures mean "slow down" (default: an error with `status` 429 or 503). */
  isOverload?: (error: Error) => boolean;
}

export interface ManyOptions {
  /** Calls in flight at once (default 8); with `adaptive`, the most there will ever be. */
  concurrency?: number;
  /** Starts at most this many calls per second (fractions allowed), evenly spaced. */
  maxRatePerSecond?: number;
  /** Lower the concurrency on 429/503 answers and raise it again as answers recover. */
  adaptive?: boolean | AdaptiveOptions;
  /** The clock for `maxRatePerSecond` (default: Date.now and timers). */
  clock?: ManyClock;
  /** Stops the run: calls in flight are aborted, the items not yet run are reported as cancelled. */
  signal?: AbortSignal;
  onProgress?: (progress: ManyProgress) => void;
  /** Called when an item is taken from the input and about to run, with its input index. */
  onStart?: (fileId: string, index: number) => void;
  /** Called with each item's result as soon as it is known (in completion order), with its input index. */
  onResult?: (result: ManyResult<unknown>, index: number) => void;
  /** Called when `adaptive` changes the concurrency. */
  onConcurrencyChange?: (change: ConcurrencyChange) => void;
}

export const DEFAULT_CONCURRENCY = 8;

export const REAL_CLOCK: ManyClock = { now: () => Date.now(), sleep };

/** Reported for the items a cancelled run did not finish. */
export class CancelledError extends MetaclearError {
  override name = 'CancelledError';
  constructor(reason: unknown) {
    super(`cancelled before it finished${reason instanceof Error ? `: ${reason.message}` : ''}`, { cause: reason });
  }
}

function fileIdOf(item: unknown): string {
  const id = (item as { fileId?: unknown } | null)?.fileId;
  return typeof id === 'string' ? id : String(id);
}

const statusOverload = (error: Error): boolean => {
  const status = (error as { status?: unknown }).status;
  return status === 429 || status === 503;
};

/** How many calls may be in flight; waiters are let in as calls end or the limit rises. */
class Gate {
  active = 0;
  #waiters: (() => void)[] = [];
  constructor(public limit: number) {}

  enter(): Promise<void> | undefined {
    if (this.active < this.limit) {
      this.active++;
      return undefined;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  leave(): void {
    this.active--;
    this.#wake();
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.#wake();
  }

  /** Lets every waiter in (the run is over or cancelled). */
  open(): void {
    this.limit = Number.POSITIVE_INFINITY;
    this.#wake();
  }

  #wake(): void {
    while (this.active < this.limit && this.#waiters.length > 0) {
      this.active++;
      this.#waiters.shift()?.();
    }
  }
}

/** Additive increase, multiplicative decrease of the gate's limit. */
class Aimd {
  #sinceDecrease = Number.POSITIVE_INFINITY;
  #successes = 0;
  constructor(
    private readonly gate: Gate,
    private readonly max: number,
    private readonly min: number,
    private readonly onChange: ((change: ConcurrencyChange) => void) | undefined,
  ) {}

  overloaded(): void {
    this.#successes = 0;
    // One decrease per round: the calls already in flight when it was lowered answer from the old rate.
    if (this.#sinceDecrease < this.gate.limit) {
      this.#sinceDecrease++;
      return;
    }
    this.#sinceDecrease = 0;
    this.#set(Math.max(this.min, Math.floor(this.gate.limit / 2)), 'overload');
  }

  succeeded(): void {
    this.#sinceDecrease++;
    if (++this.#successes < this.gate.limit || this.gate.limit >= this.max) return;
    this.#successes = 0;
    this.#set(this.gate.limit + 1, 'recovered');
  }

  #set(concurrency: number, reason: ConcurrencyChange['reason']): void {
    const previous = this.gate.limit;
    if (concurrency === previous) return;
    this.gate.setLimit(concurrency);
    this.onChange?.({ previous, concurrency, reason });
  }
}

function adaptiveSettings(adaptive: ManyOptions['adaptive'], max: number): Required<AdaptiveOptions> | undefined {
  if (adaptive === undefined || adaptive === false) return undefined;
  const options = adaptive === true ? {} : adaptive;
  const minConcurrency = requireInteger('options.adaptive.minConcurrency', options.minConcurrency ?? 1, 1);
  if (minConcurrency > max) {
    throw new ValidationError(
      'options.adaptive.minConcurrency',
      `at most options.concurrency (${max})`,
      `got ${minConcurrency}`,
    );
  }
  return { minConcurrency, isOverload: options.isOverload ?? statusOverload };
}

export async function runMany<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  call: (item: T, signal: AbortSignal) => Promise<R>,
  options: ManyOptions = {},
): Promise<ManyResult<R>[]> {
  const concurrency = requireInteger('options.concurrency', options.concurrency ?? DEFAULT_CONCURRENCY, 1);
  const rate =
    options.maxRatePerSecond === undefined
      ? undefined
      : requireFiniteNumber('options.maxRatePerSecond', options.maxRatePerSecond);
  if (rate !== undefined && !(rate > 0)) {
    throw new ValidationError('options.maxRatePerSecond', 'a positive number of calls per second', `got ${rate}`);
  }
  const adaptive = adaptiveSettings(options.adaptive, concurrency);
  const clock = options.clock ?? REAL_CLOCK;
  if (items === null || typeof items !== 'object' || !(Symbol.iterator in items || Symbol.asyncIterator in items)) {
    throw new ValidationError('items', 'an iterable or async iterable of items');
  }
  const iterator =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  const controller = new AbortController();
  const gate = new Gate(concurrency);
  const aimd = adaptive ? new Aimd(gate, concurrency, adaptive.minConcurrency, options.onConcurrencyChange) : undefined;
  // Each call in flight has its own controller, aborted from here: the run's signal carries no
  // listener per call, however many run at once.
  const inFlight = new Set<AbortController>();
  const onAbort = (): void => {
    controller.abort(options.signal?.reason);
    for (const call of inFlight) call.abort(options.signal?.reason);
    gate.open();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const results: ManyResult<R>[] = [];
  const progress = { done: 0, succeeded: 0, failed: 0 };
  let next = 0;
  // Pulling from the iterator is serialized: one worker at a time takes the next item.
  let pulling: Promise<unknown> = Promise.resolve();
  const take = (): Promise<{ index: number; item: T } | undefined> => {
    const turn = pulling.then(async () => {
      const step = await iterator.next();
      return step.done ? undefined : { index: next++, item: step.value };
    });
    pulling = turn.catch(() => undefined);
    return turn;
  };
  // The time the next call may start, with maxRatePerSecond.
  let nextStart = Number.NEGATIVE_INFINITY;
  const waitForRate = async (signal: AbortSignal): Promise<void> => {
    if (rate === undefined) return;
    const now = clock.now();
    const at = Math.max(now, nextStart);
    nextStart = at + 1000 / rate;
    if (at > now) await clock.sleep(at - now, signal);
  };

  const record = (index: number, result: ManyResult<R>): void => {
    results[index] = result;
    options.onResult?.(result, index);
    progress.done++;
    if (result.ok) progress.succeeded++;
    else progress.failed++;
    options.onProgress?.({ ...progress, concurrency: gate.limit });
  };

  const runOne = async (index: number, item: T): Promise<void> => {
    const fileId = fileIdOf(item);
    options.onStart?.(fileId, index);
    if (controller.signal.aborted) {
      record(index, { fileId, ok: false, error: new CancelledError(controller.signal.reason) });
      return;
    }
    const own = new AbortController();
    inFlight.add(own);
    try {
      await waitForRate(own.signal);
      const response = await call(item, own.signal);
      aimd?.succeeded();
      record(index, { fileId, ok: true, response });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (controller.signal.aborted) {
        record(index, { fileId, ok: false, error: new CancelledError(e) });
      } else {
        if (adaptive?.isOverload(e)) aimd?.overloaded();
        record(index, { fileId, ok: false, error: e });
      }
    } finally {
      inFlight.delete(own);
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const waiting = gate.enter();
      if (waiting) await waiting;
      try {
        const taken = await take();
        if (!taken) return;
        await runOne(taken.index, taken.item);
      } finally {
        gate.leave();
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return results;
}
