/**
 * The retry policy: which requests may be sent again, which failures are retried, and how long to
 * wait before the next attempt. Exponential backoff with full jitter, honouring Retry-After (capped).
 */
import { ValidationError } from './errors.js';
import { rejectUnknownKeys, requireInteger, requireObject } from './validate.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 2; 0 turns retrying off). */
  retries?: number;
  /** Base of the exponential backoff (default 300 ms): attempt n waits up to base × 2^n. */
  baseDelayMs?: number;
  /** Longest backoff wait (default 10 s). */
  maxDelayMs?: number;
  /** Longest wait a Retry-After header may ask for (default 60 s); a longer one is shortened to it. */
  maxRetryAfterMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const RETRY_DEFAULTS: RetryPolicy = {
  retries: 2,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/**
 * The methods HTTP defines as idempotent (RFC 9110, 9.2.2): sending such a request twice has the
 * effect of sending it once, so a request whose answer was lost may be sent again.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Whether a request may be sent more than once: its method is idempotent, or its operation is
 * declared safe to retry (see RetrySafety in core/client.ts). POST and PATCH otherwise go out once.
 */
export function mayRepeat(method: string, declaredSafe: boolean): boolean {
  return declaredSafe || IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** The statuses worth another attempt: the server may answer differently next time. No other 4xx. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Merges retry settings over a base policy; `false` turns retrying off. */
export function resolveRetry(field: string, value: unknown, base: RetryPolicy): RetryPolicy {
  if (value === undefined) return base;
  if (value === false) return { ...base, retries: 0 };
  const options = requireObject(field, value);
  rejectUnknownKeys(field, options, Object.keys(RETRY_DEFAULTS));
  const policy = { ...base };
  for (const key of Object.keys(RETRY_DEFAULTS) as (keyof RetryPolicy)[]) {
    if (options[key] !== undefined) policy[key] = requireInteger(`${field}.${key}`, options[key], 0);
  }
  if (policy.retries > 10) throw new ValidationError(`${field}.retries`, 'at most 10', `got ${policy.retries}`);
  return policy;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `attempt` (0-based): Retry-After if given (capped), else full jitter. */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
