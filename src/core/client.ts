/**
 * What both clients share: the generated client over the retrying transport, per-call settings,
 * the connections (connections.ts), and close(). A request reads top to bottom from here:
 * client.ts (options, the call's context) → transport.ts (attempts, retries, redirects) →
 * node-exchange.ts or fetch-exchange.ts (one exchange) → http.ts (the answer, or a typed error).
 */
// Node's agents and Buffer are part of this module's public options: its declarations say so, and
// bring Node's types into a consumer's program even where `types` lists none (TypeScript 7's
// default). @types/node is a peer dependency of the package for them.
/// <reference types="node" preserve="true" />
import type { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Client, Middleware } from 'openapi-fetch';
import { secretsOf } from './auth.js';
import {
  type ConnectionSettings,
  createConnections,
  DEFAULT_IDLE_TIMEOUT_MS,
  MAX_IDLE_TIMEOUT_MS,
  requireProxy,
} from './connections.js';
import { ValidationError } from './errors.js';
import { createFetchExchange } from './fetch-exchange.js';
import { requireHeaders } from './headers.js';
import { createNodeExchange } from './node-exchange.js';
import { createClient } from './openapi-fetch.js';
import { PlainRequest } from './plain-messages.js';
import { RETRY_DEFAULTS, type RetryOptions, resolveRetry } from './retry.js';
import { SignalFanout } from './signal-fanout.js';
import {
  type CallContext,
  createTransport,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_REDIRECTS,
  type RetryListener,
  type TransportPolicy,
} from './transport.js';
import { describe, rejectUnknownKeys, requireInteger, requireObject } from './validate.js';

export interface CommonClientOptions {
  /**
   * A fetch to send requests with instead of Node's HTTP stack. It is called once per attempt
   * with a new Request (`redirect: 'manual'`); retries, timeouts, cancellation, the redirect
   * policy and the answer limit still apply around it. The Node stack's User-Agent, connections,
   * proxy and TLS settings do not: the request carries the client's headers only.
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
  /** How long a kept-alive connection may stay idle before the client closes it (default 4 s; at most 10 min). */
  idleTimeoutMs?: number;
  /**
   * The HTTP proxy HTTPS requests go through, as a CONNECT tunnel: `http://[user:password@]host:port`.
   * Default: the environment's HTTPS_PROXY (or https_proxy); `false`: none.
   */
  proxy?: string | false;
  /** Hosts reached without the proxy: `host`, `.domain`, `host:port`, `*`, comma-separated. Default: NO_PROXY (or no_proxy). */
  noProxy?: string;
  /** The certificate authorities trusted for HTTPS, in PEM, instead of Node's (as Node's own `ca` option). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Agents of your own for the requests (their keep-alive, proxy and TLS settings replace the four options above). */
  agent?: { http?: HttpAgent; https?: HttpsAgent };
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
  'idleTimeoutMs',
  'proxy',
  'noProxy',
  'ca',
  'agent',
] as const;
export const CALL_KEYS = ['signal', 'retry', 'timeoutMs'] as const;

/**
 * The operations of an API that may be retried whatever their HTTP method, each with the reason
 * its effect is the same however often it runs (one line per operation, keyed by operationId).
 * Every other operation follows its method: GET, HEAD, OPTIONS, PUT and DELETE are retried (and
 * sent again on a new connection when a kept-alive one turns out closed); POST and PATCH go out
 * once. `client.raw` calls always follow their method.
 */
export type RetrySafety<Operations> = { readonly [K in keyof Operations]?: string };

type CallFetch = (request: Request) => Promise<Response>;

export interface ClientCore<P extends {}, O> {
  raw: Client<P>;
  /** The client's credentials, to keep out of errors. */
  secrets: readonly string[];
  /**
   * The openapi-fetch options of one call of `operationId`: text parsing (see core/http.ts), and
   * a fetch bound to its signal, its policy and the operation's retry safety.
   */
  init(
    call: CallOptions,
    operationId: keyof O & string,
  ): { parseAs: 'text'; fetch: CallFetch; Request?: typeof Request };
  /** Refuses new requests, waits for those in flight, then closes the client's connections. */
  close(): Promise<void>;
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

const isPem = (value: unknown): value is string | Buffer =>
  (typeof value === 'string' && value.trim() !== '') || Buffer.isBuffer(value);

/** The connection settings the options ask for; the proxy and its exceptions from the environment unless given. */
function requireConnections(options: CommonClientOptions): ConnectionSettings {
  const given = (['idleTimeoutMs', 'proxy', 'noProxy', 'ca'] as const).filter((key) => options[key] !== undefined);
  const env = process.env;
  const envProxy = env.HTTPS_PROXY ? 'HTTPS_PROXY' : env.https_proxy ? 'https_proxy' : undefined;
  let proxy: ConnectionSettings['proxy'];
  if (typeof options.proxy === 'string') proxy = requireProxy('options.proxy', options.proxy);
  else if (options.proxy !== undefined && options.proxy !== false) {
    throw new ValidationError('options.proxy', 'a proxy URL or false', `got ${describe(options.proxy)}`);
  } else if (options.proxy === undefined && envProxy && options.agent === undefined) {
    proxy = requireProxy(envProxy, env[envProxy]);
  }
  if (options.noProxy !== undefined && typeof options.noProxy !== 'string') {
    throw new ValidationError('options.noProxy', 'a comma-separated list of hosts', `got ${describe(options.noProxy)}`);
  }
  const ca = options.ca;
  if (ca !== undefined && !isPem(ca) && !(Array.isArray(ca) && ca.length > 0 && ca.every(isPem))) {
    throw new ValidationError(
      'options.ca',
      'PEM certificates: a string, a Buffer or an array of them',
      `got ${describe(ca)}`,
    );
  }
  let agent: ConnectionSettings['agent'];
  if (options.agent !== undefined) {
    const expected = '{ http?: http.Agent, https?: https.Agent }';
    if (options.agent instanceof HttpsAgent) {
      throw new ValidationError('options.agent', expected, 'got an Agent; pass it as { https: agent }');
    }
    const agents = requireObject('options.agent', options.agent);
    rejectUnknownKeys('options.agent', agents, ['http', 'https']);
    for (const key of ['http', 'https'] as const) {
      const value = agents[key];
      if (value !== undefined && !(typeof value === 'object' && value !== null && 'addRequest' in value)) {
        throw new ValidationError(`options.agent.${key}`, `an ${key}.Agent`, `got ${describe(value)}`);
      }
    }
    const first = given[0];
    if (first) throw new ValidationError('options.agent', expected, `cannot be combined with options.${first}`);
    agent = agents as ConnectionSettings['agent'];
  }
  return {
    idleTimeoutMs: requireAtMost(
      'options.idleTimeoutMs',
      options.idleTimeoutMs,
      1,
      MAX_IDLE_TIMEOUT_MS,
      DEFAULT_IDLE_TIMEOUT_MS,
    ),
    ca,
    proxy,
    noProxy: options.noProxy ?? env.NO_PROXY ?? env.no_proxy ?? '',
    agent,
  };
}

export function createClientCore<P extends {}, O = Record<string, unknown>>(
  baseUrl: string,
  authHeaders: Record<string, string>,
  options: CommonClientOptions,
  safeToRetry: RetrySafety<O> = {},
): ClientCore<P, O> {
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
  if (options.fetch) {
    // `proxy: false` and `noProxy` ask for nothing a fetch would have to do.
    const node = (['idleTimeoutMs', 'proxy', 'ca', 'agent'] as const).find(
      (k) => options[k] !== undefined && options[k] !== false,
    );
    if (node) {
      throw new ValidationError(
        `options.${node}`,
        'a setting of Node’s HTTP stack',
        'cannot be combined with options.fetch',
      );
    }
  }
  const settings = options.fetch ? undefined : requireConnections(options);
  const connections = settings ? createConnections(settings) : undefined;
  const exchange = options.fetch
    ? createFetchExchange(options.fetch)
    : createNodeExchange(connections as NonNullable<typeof connections>);
  const transport = createTransport({ exchange, fanout: new SignalFanout(), onRetry: options.onRetry }, policy);

  let closed = false;
  let inFlight = 0;
  let drained: (() => void)[] = [];
  const send = async (request: Request | PlainRequest, context?: CallContext): Promise<Response> => {
    if (closed) throw new ValidationError('client', 'a client not yet closed (create a new one)', 'close() was called');
    inFlight++;
    try {
      return await transport(request, context);
    } finally {
      if (--inFlight === 0) for (const resolve of drained.splice(0)) resolve();
    }
  };

  const raw = createClient<P>({ baseUrl, headers, fetch: (request: Request) => send(request) });
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
    secrets: [...secretsOf(authHeaders), ...(settings?.proxy?.secrets ?? [])],
    init(call, operationId) {
      const own = call.retry !== undefined || call.timeoutMs !== undefined;
      const context: CallContext = {
        policy: own ? requirePolicy('', call, policy) : policy,
        signal: call.signal,
        operationId,
        safeToRetry: safeToRetry[operationId] !== undefined,
      };
      const fetch = (request: Request) => send(request, context);
      return withMiddleware
        ? { parseAs: 'text', fetch }
        : { parseAs: 'text', fetch, Request: PlainRequest as unknown as typeof Request };
    },
    async close() {
      closed = true;
      if (inFlight > 0) await new Promise<void>((resolve) => drained.push(resolve));
      drained = [];
      connections?.close();
    },
  };
}
