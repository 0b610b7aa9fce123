/**
 * The bulk runner's politeness towards the server: adaptive concurrency (additive increase,
 * multiplicative decrease on 429/503 answers) and the spacing of starts for maxRatePerSecond.
 * The runner (many.ts) asks; these only count and wait. The option types they read are declared
 * here, and many.ts re-exports them with its own options (this module imports nothing of the runner).
 */
import { ValidationError } from '../core/errors.js';
import { requireInteger } from '../core/validate.js';

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

const statusOverload = (error: Error): boolean => {
  const status = (error as { status?: unknown }).status;
  return status === 429 || status === 503;
};

/** The concurrency limit: lowered and raised by AIMD, read by the runner before each start. */
export interface Limit {
  value: number;
}

export interface Aimd {
  overloaded(): void;
  succeeded(): void;
}

/** Additive increase, multiplicative decrease of the concurrency limit. */
export function aimdOf(limit: Limit, max: number, min: number, onChange: (change: ConcurrencyChange) => void): Aimd {
  let sinceDecrease = Number.POSITIVE_INFINITY;
  let successes = 0;
  const set = (concurrency: number, reason: ConcurrencyChange['reason']): void => {
    const previous = limit.value;
    if (concurrency === previous) return;
    limit.value = concurrency;
    onChange({ previous, concurrency, reason });
  };
  return {
    overloaded() {
      successes = 0;
      // One decrease per round: the calls already in flight when it was lowered answer from the old rate.
      if (sinceDecrease < limit.value) {
        sinceDecrease++;
        return;
      }
      sinceDecrease = 0;
      set(Math.max(min, Math.floor(limit.value / 2)), 'overload');
    },
    succeeded() {
      sinceDecrease++;
      if (++successes < limit.value || limit.value >= max) return;
      successes = 0;
      set(limit.value + 1, 'recovered');
    },
  };
}

export function adaptiveSettings(
  adaptive: boolean | AdaptiveOptions | undefined,
  max: number,
): Required<AdaptiveOptions> | undefined {
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

/** Resolves when the next call may start; rejects when `signal` aborts first. */
export type RateSpacing = (signal: AbortSignal) => Promise<void>;

/** Spaces the starts of calls `1000 / rate` ms apart (maxRatePerSecond), in the order they asked. */
export function rateSpacing(rate: number, clock: ManyClock): RateSpacing {
  let nextStart = Number.NEGATIVE_INFINITY;
  let turn: Promise<void> = Promise.resolve();
  return (signal) => {
    const mine = turn.then(async () => {
      signal.throwIfAborted();
      const now = clock.now();
      const at = Math.max(now, nextStart);
      nextStart = at + 1000 / rate;
      if (at > now) await clock.sleep(at - now, signal);
    });
    turn = mine.catch(() => undefined);
    return mine;
  };
}
