/** What both clients share: the generated client over the retrying transport, and per-call settings. */
import type { Client, Middleware } from 'openapi-fetch';
import { secretsOf } from './auth.js';
import { requireHeaders } from './headers.js';
import { createClient } from './openapi-fetch.js';
import { RETRY_DEFAULTS, type RetryOptions, resolveRetry } from './retry.js';
import { createTransport, DEFAULT_ATTEMPT_TIMEOUT_MS, type RetryListener, type TransportPolicy } from './transport.js';
import { requireInteger } from './validate.js';

export interface CommonClientOptions {
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** openapi-fetch middleware, applied to every request, the facade's included. */
  middleware?: Middleware[];
  /** Retry policy for every call (default: 2 retries); `false` turns retrying off. */
  retry?: RetryOptions | false;
  /** Time allowed for one attempt, answer included (default 30 s). */
  timeoutMs?: number;
  /** Called before each retry, with the failed attempt's status or error and the wait. */
  onRetry?: RetryListener;
}

/** Settings any single call may override. */
export interface CallOptions {
  /** Stops the call at once: the attempt in flight and any wait before a retry. */
  signal?: AbortSignal;
  retry?: RetryOptions | false;
  timeoutMs?: number;
}

export const COMMON_KEYS = ['fetch', 'headers', 'middleware', 'retry', 'timeoutMs', 'onRetry'] as const;
export const CALL_KEYS = ['signal', 'retry', 'timeoutMs'] as const;

export interface ClientCore<P extends {}> {
  raw: Client<P>;
  /** The client's credentials, to keep out of errors. */
  secrets: readonly string[];
  /** The openapi-fetch options of one call: text parsing (see core/http.ts), and its own transport if it overrides the policy. */
  init(call: CallOptions): { parseAs: 'text'; fetch?: (request: Request) => Promise<Response> };
}

function requirePolicy(
  field: string,
  options: { retry?: unknown; timeoutMs?: unknown },
  base: TransportPolicy,
): TransportPolicy {
  return {
    retry: resolveRetry(`${field}retry`, options.retry, base.retry),
    attemptTimeoutMs:
      options.timeoutMs === undefined
        ? base.attemptTimeoutMs
        : requireInteger(`${field}timeoutMs`, options.timeoutMs, 1),
  };
}

export function createClientCore<P extends {}>(
  baseUrl: string,
  authHeaders: Record<string, string>,
  options: CommonClientOptions,
): ClientCore<P> {
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const policy = requirePolicy('options.', options, {
    retry: RETRY_DEFAULTS,
    attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
  });
  const headers = { ...requireHeaders('options.headers', options.headers), ...authHeaders };
  const raw = createClient<P>({ baseUrl, headers, fetch: createTransport(baseFetch, policy, options.onRetry) });
  for (const middleware of options.middleware ?? []) raw.use(middleware);
  return {
    raw,
    secrets: secretsOf(authHeaders),
    init(call) {
      const own = call.retry !== undefined || call.timeoutMs !== undefined;
      return {
        parseAs: 'text',
        ...(own ? { fetch: createTransport(baseFetch, requirePolicy('', call, policy), options.onRetry) } : {}),
      };
    },
  };
}
