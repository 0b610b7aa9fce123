/**
 * The bulk runner: one call per item with bounded concurrency. streamMany yields each result as it
 * finishes, with its input index, and holds at most `concurrency` items at once (in flight, or
 * finished and not yet read), so memory does not grow with the input; runMany collects the stream
 * into an array in input order, for small inputs. One item's failure is a result, never a rejection.
 *
 * Politeness (politeness.ts): `maxRatePerSecond` spaces the starts of calls; `adaptive` lowers the
 * number of calls in flight when the server answers 429 or 503 (halved, at most once per round of
 * calls) and raises it again by one after each round of successes (additive increase,
 * multiplicative decrease), never above `concurrency`. Both use `clock`, which a test can replace.
 */
import { MetaclearError, ValidationError } from '../core/errors.js';
import { sleep } from '../core/sleep.js';
import { requireFiniteNumber, requireInteger } from '../core/validate.js';
import {
  type AdaptiveOptions,
  adaptiveSettings,
  aimdOf,
  type ConcurrencyChange,
  type Limit,
  type ManyClock,
  type RateSpacing,
  rateSpacing,
} from './politeness.js';

export type { AdaptiveOptions, ConcurrencyChange, ManyClock };

export type ManyResult<R> = { fileId: string; ok: true; response: R } | { fileId: string; ok: false; error: Error };

export interface ManyProgress {
  /** Items finished so far (succeeded + failed). */
  done: number;
  succeeded: number;
  failed: number;
  /** Calls allowed in flight now (below `concurrency` after the server said it was overloaded). */
  concurrency: number;
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
  /**
   * Stops the run: no more items are read, and the calls in flight are aborted and reported as
   * cancelled (runMany with an array input also reports the items not run as cancelled).
   */
  signal?: AbortSignal;
  onProgress?: (progress: ManyProgress) => void;
  /** Called when an item is taken from the input and about to run, with its input index. */
  onStart?: (fileId: string, index: number) => void;
  /** Called with each item's result as it is handed to the consumer (completion order), with its input index. */
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

interface Settings {
  concurrency: number;
  rate: RateSpacing | undefined;
  adaptive: Required<AdaptiveOptions> | undefined;
}

/** Every option checked, and the input checked to be iterable, before anything is read or sent. */
function settingsOf(items: unknown, options: ManyOptions): Settings {
  const concurrency = requireInteger('options.concurrency', options.concurrency ?? DEFAULT_CONCURRENCY, 1);
  const rate =
    options.maxRatePerSecond === undefined
      ? undefined
      : requireFiniteNumber('options.maxRatePerSecond', options.maxRatePerSecond);
  if (rate !== undefined && !(rate > 0)) {
    throw new ValidationError('options.maxRatePerSecond', 'a positive number of calls per second', `got ${rate}`);
  }
  const adaptive = adaptiveSettings(options.adaptive, concurrency);
  if (items === null || typeof items !== 'object' || !(Symbol.iterator in items || Symbol.asyncIterator in items)) {
    throw new ValidationError('items', 'an iterable or async iterable of items');
  }
  return {
    concurrency,
    rate: rate === undefined ? undefined : rateSpacing(rate, options.clock ?? REAL_CLOCK),
    adaptive,
  };
}

/** A result with the 0-based position of its item in the input. */
export type IndexedResult<R> = ManyResult<R> & { index: number };

/**
 * The results of a run, one per item taken from the input, in completion order. Nothing is read
 * or sent before the first `next()`. Leaving the loop early (`break`, `throw`, `return()`) stops
 * the run: nothing more is read, the calls in flight are aborted, and `return()` resolves once
 * they have settled (their results are dropped).
 */
export interface ManyStream<R> extends AsyncIterableIterator<IndexedResult<R>> {
  /**
   * How many items have been taken from the input so far: the next unread item has this index.
   * After an abort, the items from this index on were neither run nor yielded, nor read.
   */
  readonly taken: number;
  /** Calls allowed in flight now (below `concurrency` while `adaptive` has lowered it). */
  readonly concurrency: number;
}

type Waiter<R> = { resolve: (step: IteratorResult<IndexedResult<R>>) => void; reject: (error: unknown) => void };

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Runs `call` once per item, `concurrency` at a time, and yields each result as it finishes
 * (completion order) with its input index. Memory is O(concurrency): at most `concurrency` items
 * are held at once, in flight or finished and not yet taken by the consumer; an item is read from
 * the input only when there is room, so a consumer that stops reading stops new calls, and nothing
 * keeps a result once it is yielded. Nothing is read or sent before the first `next()`.
 *
 * `options.signal` stops the run at once: no more items are read (an item the input hands over
 * later is neither run nor counted), the calls in flight are aborted and yielded as CancelledError,
 * then the stream ends; `taken` says where a resume starts. An input that throws ends the stream
 * with its error, after the calls in flight have settled and been yielded. A hook (`onStart`,
 * `onResult`, `onProgress`) that throws stops the run as leaving the loop does, and the stream
 * then throws its error. `onResult` and `onProgress` are called as each result is handed to the
 * consumer. The options are checked at once: a bad one throws before anything is read.
 */
export function streamMany<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  call: (item: T, signal: AbortSignal) => Promise<R>,
  options: ManyOptions = {},
): ManyStream<R> {
  const settings = settingsOf(items, options);
  const isAsync = Symbol.asyncIterator in items;
  const iterator = isAsync
    ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (items as Iterable<T>)[Symbol.iterator]();
  const { signal, onStart, onResult, onProgress } = options;
  const max = settings.concurrency;
  const limit: Limit = { value: max };
  const rate = settings.rate;
  const adaptive = settings.adaptive;
  const aimd = adaptive
    ? aimdOf(limit, max, adaptive.minConcurrency, (change) => {
        options.onConcurrencyChange?.(change);
        pump();
      })
    : undefined;
  // One controller per call in flight: the caller's signal carries one listener, not one per call.
  const inFlight = new Set<AbortController>();
  /** Finished results the consumer has not taken yet. */
  const ready: IndexedResult<R>[] = [];
  const waiters: Waiter<R>[] = [];
  /** Resolved when the run has ended: nothing in flight, nothing more to come (return() waits for it). */
  let markEnded = (): void => undefined;
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  const progress = { done: 0, succeeded: 0, failed: 0 };
  let taken = 0;
  let started = false;
  let pulling = false;
  let inputDone = false;
  /** No more items are taken: aborted, the consumer left, or a hook threw. */
  let stopped = false;
  /** Results are dropped, not yielded: the consumer left, or a hook threw. */
  let dropping = false;
  /** The error the stream ends with once the calls in flight have settled: the input's, or a hook's. */
  let failure: { error: unknown } | undefined;

  const onAbort = (): void => stop(signal?.reason);

  /** Takes items while there is room, one pull at a time. */
  function pump(): void {
    while (!stopped && !inputDone && !pulling && inFlight.size < limit.value && inFlight.size + ready.length < max) {
      pulling = true;
      let step: IteratorResult<T> | Promise<IteratorResult<T>>;
      try {
        step = iterator.next();
      } catch (error) {
        inputFailed(error);
        return;
      }
      if (!isAsync) {
        pulled(step as IteratorResult<T>);
        continue;
      }
      Promise.resolve(step).then((s) => {
        pulled(s);
        pump();
      }, inputFailed);
      return;
    }
  }

  function inputFailed(error: unknown): void {
    pulling = false;
    inputDone = true;
    if (!dropping) failure ??= { error };
    settle();
  }

  function pulled(step: IteratorResult<T>): void {
    pulling = false;
    if (stopped) closeInput();
    else if (step.done) inputDone = true;
    else run(taken++, step.value);
    settle();
  }

  function run(index: number, item: T): void {
    const fileId = fileIdOf(item);
    const own = new AbortController();
    inFlight.add(own);
    attempt(item, own.signal).then(
      (response) => {
        aimd?.succeeded();
        finished(own, { fileId, ok: true, response, index });
      },
      (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        if (own.signal.aborted) return finished(own, { fileId, ok: false, error: new CancelledError(e), index });
        if (adaptive?.isOverload(e)) aimd?.overloaded();
        finished(own, { fileId, ok: false, error: e, index });
      },
    );
    try {
      onStart?.(fileId, index);
    } catch (error) {
      fail(error);
    }
  }

  async function attempt(item: T, callSignal: AbortSignal): Promise<R> {
    if (rate) await rate(callSignal);
    return call(item, callSignal);
  }

  function finished(own: AbortController, result: IndexedResult<R>): void {
    inFlight.delete(own);
    if (!dropping) ready.push(result);
    settle();
    pump();
  }

  /** Counts a result and tells the hooks; false when a hook threw (the run then fails). */
  function deliver(result: IndexedResult<R>): boolean {
    progress.done++;
    if (result.ok) progress.succeeded++;
    else progress.failed++;
    try {
      onResult?.(result, result.index);
      onProgress?.({ ...progress, concurrency: limit.value });
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  }

  /** A hook threw: stop, drop what is left, and end with its error once the calls in flight have settled. */
  function fail(error: unknown): void {
    if (!dropping) failure ??= { error };
    dropping = true;
    ready.length = 0;
    stop(error);
  }

  function stop(reason: unknown): void {
    if (!stopped) {
      stopped = true;
      signal?.removeEventListener('abort', onAbort);
      // A pull under way closes the input when it returns (a running generator cannot be closed).
      if (!pulling) closeInput();
    }
    for (const own of inFlight) own.abort(reason);
    settle();
  }

  /** Lets the input release what it holds (a generator's `finally`), without waiting for it. */
  function closeInput(): void {
    if (inputDone) return;
    inputDone = true;
    try {
      Promise.resolve(iterator.return?.()).catch(() => undefined);
    } catch {
      // The input's own clean-up failed: nothing of the run depends on it.
    }
  }

  /** Hands out what can be handed out, and ends the stream once nothing more can come. */
  function settle(): void {
    while (waiters.length > 0 && ready.length > 0) {
      const result = ready.shift() as IndexedResult<R>;
      if (deliver(result)) waiters.shift()?.resolve({ done: false, value: result });
    }
    if (inFlight.size > 0 || ready.length > 0 || (!stopped && (pulling || !inputDone))) return;
    signal?.removeEventListener('abort', onAbort);
    markEnded();
    for (const waiter of waiters.splice(0)) {
      const ending = failure;
      failure = undefined;
      if (ending) waiter.reject(ending.error);
      else waiter.resolve(DONE);
    }
  }

  const stream: ManyStream<R> = {
    get taken() {
      return taken;
    },
    get concurrency() {
      return limit.value;
    },
    [Symbol.asyncIterator]: () => stream,
    next() {
      if (!started) {
        started = true;
        if (signal?.aborted) stop(signal.reason);
        else signal?.addEventListener('abort', onAbort, { once: true });
      }
      const step = new Promise<IteratorResult<IndexedResult<R>>>((resolve, reject) =>
        waiters.push({ resolve, reject }),
      );
      settle();
      pump();
      return step;
    },
    return() {
      started = true;
      dropping = true;
      failure = undefined;
      ready.length = 0;
      stop(new Error('the results are no longer read'));
      return ended.then(() => DONE);
    },
  };
  return stream;
}

/**
 * streamMany, collected into an array in input order: for inputs small enough to hold. After an
 * abort, an array input has a result for every item, the ones not run being CancelledError; any
 * other input is not read further, and the array ends with the last item taken.
 */
export async function runMany<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  call: (item: T, signal: AbortSignal) => Promise<R>,
  options: ManyOptions = {},
): Promise<ManyResult<R>[]> {
  const stream = streamMany(items, call, options);
  const results: ManyResult<R>[] = [];
  for await (const { index, ...result } of stream) results[index] = result as ManyResult<R>;
  if (Array.isArray(items) && stream.taken < items.length) {
    const reason = options.signal?.reason;
    for (let index = stream.taken; index < items.length; index++) {
      results[index] = { fileId: fileIdOf(items[index]), ok: false, error: new CancelledError(reason) };
    }
  }
  return results;
}
