/** What both clients share: the generated client over the retrying transport, and per-call settings. */
import type { Client, Middleware } from 'openapi-fetch';
import { secretsOf } from './auth.js';
import { ValidationError } from './errors.js';
import { createFetchExchange } from './fetch-exchange.js';
import { requireHeaders } from './headers.js';
import { createAgents, createNodeExchange } from './node-exchange.js';
import { createClient } from './openapi-fetch.js';
import { PlainRequest } from './plain-messages.js';
import { DEFAULT_MAX_REDIRECTS } from './redirects.js';
import { RETRY_DEFAULTS, type RetryOptions, resolveRetry } from './retry.js';
import { SignalFanout } from './signal-fanout.js';
import {
  createTransport,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_ANSWER_BYTES,
  type RetryListener,
  type TransportPolicy,
} from './transport.js';
import { requireInteger } from './validate.js';

export interface CommonClientOptions {
  /**
   * A fetch to send requests with instead of Node's HTTP stack. It is called once per attempt
   * with a new Request (`redirect: 'manual'`); retries, timeouts, cancellation, the redirect
   * policy and the answer limit still apply around it. The Node stack's User-Agent and
   * connection handling do not: the request carries the client's headers only.
   */
  fetch?: typeof fetch;
  /** Extra headers for every request (a `User-Agent` here replaces metaclear's). */
  headers?: Record<string, string>;
  /** openapi-fetch middleware, applied to every request, the facade's included. */
  middleware?: Middleware[];
  /** Retry policy for every call (default: 2 retries); `false` turns retrying off. */
  retry?: RetryOptions | false;
  /** Time allowed for one attempt: connect, headers, body and redirects (default 30 s). */
  timeoutMs?: number;
  /** Called before each retry, with the failed attempt's status or error and the wait. */
  onRetry?: RetryListener;
  /** Largest answer read, in bytes, after decoding (default 8 MiB); a larger one is an ApiError, not retried. */
  maxAnswerBytes?: number;
  /** Most same-origin 307/308 redirects followed per attempt (default 5; 0 follows none). */
  maxRedirects?: number;
}

/** Settings any single call may override. */
export interface CallOptions {
  /** Stops the call at once: the attempt in flight and any wait before a retry. */
  signal?: AbortSignal;
  retry?: RetryOptions | false;
  timeoutMs?: number;
}

export const COMMON_KEYS = [
  'fetch',
  'headers',
  'middleware',
  'retry',
  'timeoutMs',
  'onRetry',
  'maxAnswerBytes',
  'maxRedirects',
] as const;
export const CALL_KEYS = ['signal', 'retry', 'timeoutMs'] as const;

type CallFetch = (request: Request) => Promise<Response>;

export interface ClientCore<P extends {}> {
  raw: Client<P>;
  /** The client's credentials, to keep out of errors. */
  secrets: readonly string[];
  /** The openapi-fetch options of one call: text parsing (see core/http.ts), and a fetch bound to its signal and policy. */
  init(call: CallOptions): { parseAs: 'text'; fetch: CallFetch; Request?: typeof Request };
}

function requirePolicy(
  field: string,
  options: { retry?: unknown; timeoutMs?: unknown },
  base: TransportPolicy,
): TransportPolicy {
  return {
    ...base,
    retry: resolveRetry(`${field}retry`, options.retry, base.retry),
    attemptTimeoutMs:
      options.timeoutMs === undefined
        ? base.attemptTimeoutMs
        : requireInteger(`${field}timeoutMs`, options.timeoutMs, 1),
  };
}

function requireAtMost(field: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = requireInteger(field, value, min);
  if (n > max) throw new ValidationError(field, `an integer from ${min} to ${max}`, `got ${n}`);
  return n;
}

export function createClientCore<P extends {}>(
  baseUrl: string,
  authHeaders: Record<string, string>,
  options: CommonClientOptions,
): ClientCore<P> {
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ValidationError('options.fetch', 'a fetch function', `got ${typeof options.fetch}`);
  }
  const policy = requirePolicy('options.', options, {
    retry: RETRY_DEFAULTS,
    attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
    maxAnswerBytes: requireAtMost(
      'options.maxAnswerBytes',
      options.maxAnswerBytes,
      1,
      2 ** 30,
      DEFAULT_MAX_ANSWER_BYTES,
    ),
    maxRedirects: requireAtMost('options.maxRedirects', options.maxRedirects, 0, 20, DEFAULT_MAX_REDIRECTS),
  });
  const headers = { ...requireHeaders('options.headers', options.headers), ...authHeaders };
  const exchange = options.fetch ? createFetchExchange(options.fetch) : createNodeExchange(createAgents());
  const transport = createTransport({ exchange, fanout: new SignalFanout(), onRetry: options.onRetry }, policy);
  const raw = createClient<P>({ baseUrl, headers, fetch: (request: Request) => transport(request) });
  // Middleware sees web Requests and Responses: once any is registered (here or later through
  // raw.use), facade calls build them too; until then they use the plain ones (plain-messages.ts).
  let withMiddleware = false;
  const use = raw.use.bind(raw);
  raw.use = (...middleware) => {
    withMiddleware = true;
    use(...middleware);
  };
  for (const middleware of options.middleware ?? []) raw.use(middleware);
  return {
    raw,
    secrets: secretsOf(authHeaders),
    init(call) {
      const own = call.retry !== undefined || call.timeoutMs !== undefined;
      const context = { policy: own ? requirePolicy('', call, policy) : policy, signal: call.signal };
      const fetch = (request: Request) => transport(request, context);
      return withMiddleware
        ? { parseAs: 'text', fetch }
        : { parseAs: 'text', fetch, Request: PlainRequest as unknown as typeof Request };
    },
  };
}
