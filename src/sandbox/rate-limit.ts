/**
 * The sandbox's rate limit (SandboxOptions.rateLimit): a token bucket of `burst` requests that
 * refills at `requestsPerSecond`; a request that finds it empty is answered 429 (or 503) with a
 * Retry-After, as a real API under load would. The clock can be replaced, so a test can freeze
 * it (no refill: every request past the burst is refused) or move it.
 */
import { json, type OutgoingResponse } from './http-exchange.js';

export interface RateLimitOptions {
  requestsPerSecond: number;
  /** Requests accepted at once when the bucket is full (default: requestsPerSecond, at least 1). */
  burst?: number;
  /** The status of a refused request (default 429). */
  status?: 429 | 503;
  /** The clock in milliseconds (default Date.now). */
  now?: () => number;
}

export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #status: 429 | 503;
  readonly #now: () => number;
  #tokens: number;
  #at: number;
  /** Requests refused so far. */
  refused = 0;

  constructor(options: RateLimitOptions) {
    if (!(options.requestsPerSecond > 0)) throw new RangeError('rateLimit.requestsPerSecond must be positive');
    this.#rate = options.requestsPerSecond;
    this.#burst = options.burst ?? Math.max(1, Math.floor(options.requestsPerSecond));
    if (!(this.#burst >= 1)) throw new RangeError('rateLimit.burst must be at least 1');
    this.#status = options.status ?? 429;
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#burst;
    this.#at = this.#now();
  }

  /** Undefined when the request may go on; the refusal to send otherwise. */
  take(): OutgoingResponse | undefined {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return undefined;
    }
    this.refused++;
    const wait = Math.max(1, Math.ceil((1 - this.#tokens) / this.#rate));
    const refusal = json(this.#status, { error: `rate limit: at most ${this.#rate} requests per second` });
    return { ...refusal, headers: { ...refusal.headers, 'retry-after': String(wait) } };
  }
}
