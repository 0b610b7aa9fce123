/**
 * The fetch the generated clients call: one logical request, made of attempts over an Exchange
 * (Node's HTTP stack, node-exchange.ts, or the caller's `fetch`, fetch-exchange.ts).
 *
 * - Each attempt has its own timeout, covering connect, headers, body and any redirect it follows;
 *   it reads the whole answer, so a connection that breaks mid-body is retried like one that
 *   breaks before. The caller's signal stops everything at once. Timers and listeners hold the
 *   attempt strongly: neither the timeout nor the abort can be lost to garbage collection.
 * - Only a request that may be sent twice is retried (retry.ts): an idempotent method, or an
 *   operation its facade declares safe to retry. The same holds for a request that went out on a
 *   kept-alive connection the server had closed while it was idle: it is sent again at once on a
 *   new connection, within the same attempt, which is not a retry. An operation declared safe is
 *   repeated in neither way when its call says `retry: false`: it goes out once.
 * - Redirects: only a same-origin 307/308 is followed; a credential never leaves its origin.
 */
import { AttemptTimeoutError, ConnectionError, hostOf, NetworkError, RedirectRefusedError } from './errors.js';
import { PlainRequest, PlainResponse } from './plain-messages.js';
import { mayRepeat, parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy, retryDelay } from './retry.js';
import type { SignalFanout } from './signal-fanout.js';
import { sleep } from './sleep.js';

/** One request as an exchange sends it, whichever stack carries it. */
export interface AttemptRequest {
  url: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Uint8Array | null;
  /** The same body as a string, when it was given as one (cheaper for a web Request to take). */
  text?: string;
}

export interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** The whole (decoded) body, or null for 204/304/HEAD. */
  body: Uint8Array | null;
}

/**
 * Sends one request and reads the whole answer, at most `maxAnswerBytes` of it. Must settle as
 * soon as `stop` aborts (rejecting with its reason), whatever the server does. `fresh`: on a new
 * connection, not one kept alive.
 */
export type Exchange = (
  request: AttemptRequest,
  maxAnswerBytes: number,
  stop: AbortSignal,
  fresh?: boolean,
) => Promise<Answer>;

/** Whether an answer of this status, to this method, carries no body. */
export function hasNoBody(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

export interface TransportPolicy {
  retry: RetryPolicy;
  /** Time allowed for one attempt, answer body included. */
  attemptTimeoutMs: number;
  /** Largest answer read, in bytes (decoded). */
  maxAnswerBytes: number;
  /** Most same-origin 307/308 redirects followed in one attempt. */
  maxRedirects: number;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ANSWER_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Called before each retry: the attempt that failed (1-based) and the wait before the next. */
export type RetryListener = (info: { attempt: number; delayMs: number; status?: number; error?: Error }) => void;

export interface TransportSetup {
  exchange: Exchange;
  fanout: SignalFanout;
  onRetry?: RetryListener | undefined;
}

/** What one call adds: its policy, the caller's signal (else the Request's own), and which operation it is. */
export interface CallContext {
  policy: TransportPolicy;
  signal?: AbortSignal | undefined;
  /** The facade operation (none for `client.raw` calls). */
  operationId?: string | undefined;
  /** The operation is declared safe to retry, whatever its method. */
  safeToRetry?: boolean;
}

/** Node's error codes that no retry can fix. */
const FINAL_CODES = new Set([
  'ERR_INVALID_URL',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_SOCKET_BAD_PORT',
  'ERR_UNSAFE_PORT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** The error, as the ConnectionError that names its host and cause: `ECONNREFUSED to 127.0.0.1:38790`. */
export function describeConnectionError(error: unknown, url: URL, idleClosed = false): ConnectionError {
  if (error instanceof ConnectionError) return error;
  // fetch wraps the network error in a TypeError("fetch failed") whose cause holds the code.
  // (Checked by shape: a fetch from another realm throws another realm's TypeError.)
  const wrapped = error as { name?: unknown; cause?: unknown } | null;
  const inner =
    wrapped?.name === 'TypeError' && typeof wrapped.cause === 'object' && wrapped.cause !== null
      ? wrapped.cause
      : error;
  const code = (inner as { code?: unknown } | undefined)?.code;
  const message = (inner as { message?: unknown } | null)?.message;
  const text = typeof code === 'string' ? code : typeof message === 'string' ? message : String(inner);
  const badPort = text === 'bad port';
  const retryable = !(typeof code === 'string' && FINAL_CODES.has(code)) && !badPort;
  const what = badPort ? 'a port fetch refuses (bad port)' : text;
  return new ConnectionError(
    `${what} to ${hostOf(url)}`,
    typeof code === 'string' ? code : undefined,
    retryable,
    error,
    idleClosed,
  );
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** The URL a redirect leads to, or a RedirectRefusedError saying why it is not followed. */
export function redirectTarget(
  status: number,
  location: string,
  from: URL,
  followed: number,
  maxRedirects: number,
): URL | RedirectRefusedError {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return new RedirectRefusedError(status, 'an invalid location', 'the Location header is not a URL');
  }
  const origin = target.protocol === 'http:' || target.protocol === 'https:' ? target.origin : target.protocol;
  if (origin !== from.origin) {
    const why =
      from.protocol === 'https:' && target.protocol === 'http:'
        ? 'it leaves https for plain http, and credentials are never sent in clear text'
        : 'it is another origin, and credentials are never sent to another origin';
    return new RedirectRefusedError(status, origin, why);
  }
  if (status !== 307 && status !== 308) {
    return new RedirectRefusedError(status, origin, 'only 307 and 308 (same method and body) are followed');
  }
  if (followed >= maxRedirects) {
    return new RedirectRefusedError(status, origin, `more than ${maxRedirects} redirects (maxRedirects)`);
  }
  return target;
}

async function toAttemptRequest(request: Request | PlainRequest): Promise<AttemptRequest> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const url = new URL(request.url);
  if (request instanceof PlainRequest && request.body !== null) {
    return { url, method: request.method, headers, body: Buffer.from(request.body, 'utf8'), text: request.body };
  }
  const body = request.body === null ? null : new Uint8Array(await (request as Request).arrayBuffer());
  return { url, method: request.method, headers, body };
}

/** The answer as the caller's kind of message: a PlainResponse for a PlainRequest, else a web Response. */
function toResponse(answer: Answer, plain: boolean, url: string): Response {
  // The answer's headers are handed on as they came: the facade reads them (content type, request
  // id), and redacts credentials where it copies anything into an error (core/http.ts).
  const headers = answer.headers;
  if (plain)
    return new PlainResponse(answer.status, answer.statusText, headers, answer.body, url) as unknown as Response;
  return new Response(answer.body as BodyInit | null, {
    status: answer.status,
    statusText: answer.statusText,
    headers,
  });
}

/**
 * One attempt: the exchange, then any same-origin 307/308 it is allowed to follow. A request that
 * may be repeated and met a connection closed while idle goes out once more on a new connection.
 */
async function attemptOnce(
  exchange: Exchange,
  request: AttemptRequest,
  policy: TransportPolicy,
  stop: AbortSignal,
  repeatable: boolean,
): Promise<Answer> {
  let current = request;
  let fresh = false;
  for (let followed = 0; ; ) {
    let answer: Answer;
    try {
      answer = await exchange(current, policy.maxAnswerBytes, stop, fresh);
    } catch (error) {
      if (!repeatable || fresh || !(error instanceof ConnectionError) || !error.idleClosed || stop.aborted) throw error;
      fresh = true;
      continue;
    }
    if (!REDIRECT_STATUSES.has(answer.status)) return answer;
    const location = answer.headers.find(([name]) => name.toLowerCase() === 'location')?.[1];
    if (location === undefined) return answer;
    const target = redirectTarget(answer.status, location, current.url, followed, policy.maxRedirects);
    if (!(target instanceof URL)) throw target;
    current = { ...current, url: target };
    followed++;
  }
}

/** The retrying fetch for one client (`context` per call; without it, the client's policy and the Request's signal). */
export function createTransport(
  setup: TransportSetup,
  base: TransportPolicy,
): (request: Request | PlainRequest, context?: CallContext) => Promise<Response> {
  const { exchange, fanout, onRetry } = setup;
  return async (request, context) => {
    const policy = context?.policy ?? base;
    const callerSignal = context?.signal ?? request.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const call = new AbortController();
    const unsubscribe = callerSignal
      ? fanout.subscribe(callerSignal, () => call.abort(callerSignal.reason))
      : () => undefined;
    const plain = request instanceof PlainRequest;
    try {
      const attemptRequest = await toAttemptRequest(request);
      // An operation declared safe to repeat is repeated only while its policy allows retries: with
      // `retry: false` it goes out once, not even again on a connection found closed (the server
      // may have done it before the connection broke).
      const repeatable = mayRepeat(attemptRequest.method, context?.safeToRetry === true && policy.retry.retries > 0);
      const retries = repeatable ? policy.retry.retries : 0;
      for (let attempt = 1; ; attempt++) {
        if (call.signal.aborted) throw call.signal.reason;
        const stop = new AbortController();
        const timer = setTimeout(
          () => stop.abort(new AttemptTimeoutError(policy.attemptTimeoutMs, attemptRequest.url)),
          policy.attemptTimeoutMs,
        );
        const onCall = (): void => stop.abort(call.signal.reason);
        call.signal.addEventListener('abort', onCall, { once: true });
        let answer: Answer | undefined;
        let failure: unknown;
        try {
          answer = await attemptOnce(exchange, attemptRequest, policy, stop.signal, repeatable);
        } catch (error) {
          failure = error;
        } finally {
          clearTimeout(timer);
          call.signal.removeEventListener('abort', onCall);
        }
        if (call.signal.aborted) throw call.signal.reason;
        const retriesLeft = attempt <= retries;
        if (answer) {
          const response = toResponse(answer, plain, request.url);
          if (!RETRYABLE_STATUSES.has(answer.status) || !retriesLeft) return response;
          const delayMs = retryDelay(policy.retry, attempt - 1, parseRetryAfter(response.headers.get('retry-after')));
          onRetry?.({ attempt, delayMs, status: answer.status });
          await sleep(delayMs, call.signal);
          continue;
        }
        if (!(failure instanceof ConnectionError || failure instanceof AttemptTimeoutError)) throw failure;
        if (!retriesLeft || (failure instanceof ConnectionError && !failure.retryable)) {
          throw new NetworkError(context?.operationId, attempt, failure);
        }
        const delayMs = retryDelay(policy.retry, attempt - 1, undefined);
        onRetry?.({ attempt, delayMs, error: failure });
        await sleep(delayMs, call.signal);
      }
    } finally {
      unsubscribe();
    }
  };
}
