/**
 * The fetch the generated clients call: one logical request, made of attempts over an
 * Exchange (Node's HTTP stack, or the caller's `fetch`). Each attempt has its own timeout,
 * covering connect, headers, body and any redirect it follows; it reads the whole answer, so
 * a connection that breaks mid-body is retried like one that breaks before. The caller's
 * signal stops everything at once. Timers and listeners hold the attempt strongly: neither the
 * timeout nor the abort can be lost to garbage collection.
 */
import type { Answer, AttemptRequest, Exchange } from './attempt.js';
import { PlainRequest, PlainResponse } from './plain-messages.js';
import { REDIRECT_STATUSES, redirectTarget } from './redirects.js';
import { parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy, retryDelay } from './retry.js';
import type { SignalFanout } from './signal-fanout.js';
import { sleep } from './sleep.js';
import { AttemptTimeoutError, ConnectionError, TransportError } from './transport-errors.js';

export { AttemptTimeoutError, TransportError } from './transport-errors.js';

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

/** Called before each retry: the attempt that failed (1-based) and the wait before the next. */
export type RetryListener = (info: { attempt: number; delayMs: number; status?: number; error?: Error }) => void;

export interface TransportSetup {
  exchange: Exchange;
  fanout: SignalFanout;
  onRetry?: RetryListener | undefined;
}

/** What one call adds: its policy, and the caller's signal (else the Request's own). */
export interface CallContext {
  policy: TransportPolicy;
  signal?: AbortSignal | undefined;
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

/** One attempt: the exchange, then any same-origin 307/308 it is allowed to follow. */
async function attemptOnce(
  exchange: Exchange,
  request: AttemptRequest,
  policy: TransportPolicy,
  stop: AbortSignal,
): Promise<Answer> {
  let current = request;
  for (let followed = 0; ; followed++) {
    const answer = await exchange(current, policy.maxAnswerBytes, stop);
    if (!REDIRECT_STATUSES.has(answer.status)) return answer;
    const location = answer.headers.find(([name]) => name.toLowerCase() === 'location')?.[1];
    if (location === undefined) return answer;
    const target = redirectTarget(answer.status, location, current.url, followed, policy.maxRedirects);
    if (!(target instanceof URL)) throw target;
    current = { ...current, url: target };
  }
}

function isRetryable(error: unknown): boolean {
  return error instanceof AttemptTimeoutError || (error instanceof ConnectionError && error.retryable);
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
          answer = await attemptOnce(exchange, attemptRequest, policy, stop.signal);
        } catch (error) {
          failure = error;
        } finally {
          clearTimeout(timer);
          call.signal.removeEventListener('abort', onCall);
        }
        if (call.signal.aborted) throw call.signal.reason;
        const retriesLeft = attempt <= policy.retry.retries;
        if (answer) {
          const response = toResponse(answer, plain, request.url);
          if (!RETRYABLE_STATUSES.has(answer.status) || !retriesLeft) return response;
          const delayMs = retryDelay(policy.retry, attempt - 1, parseRetryAfter(response.headers.get('retry-after')));
          onRetry?.({ attempt, delayMs, status: answer.status });
          await sleep(delayMs, call.signal);
          continue;
        }
        if (!isRetryable(failure)) {
          if (failure instanceof ConnectionError || failure instanceof AttemptTimeoutError) {
            throw new TransportError(attempt, failure);
          }
          throw failure;
        }
        const error = failure as Error;
        if (!retriesLeft) throw new TransportError(attempt, error);
        const delayMs = retryDelay(policy.retry, attempt - 1, undefined);
        onRetry?.({ attempt, delayMs, error });
        await sleep(delayMs, call.signal);
      }
    } finally {
      unsubscribe();
    }
  };
}
