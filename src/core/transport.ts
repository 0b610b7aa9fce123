/**
 * The fetch the generated clients call: one logical request, made of attempts. Each attempt
 * has its own timeout and reads the whole answer, so a connection that breaks mid-body is
 * retried like one that breaks before; the caller's signal stops everything at once.
 */
import { MetaclearError } from './errors.js';
import { parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy, retryDelay } from './retry.js';
import { sleep } from './sleep.js';

export interface TransportPolicy {
  retry: RetryPolicy;
  /** Time allowed for one attempt, answer body included. */
  attemptTimeoutMs: number;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;

/** One attempt took longer than its timeout. */
export class AttemptTimeoutError extends MetaclearError {
  override name = 'AttemptTimeoutError';
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}

/** Thrown out of the transport when every attempt failed without an answer. */
export class TransportError extends MetaclearError {
  override name = 'TransportError';
  readonly attempts: number;
  constructor(attempts: number, cause: unknown) {
    const why = cause instanceof Error ? describeNetworkError(cause) : String(cause);
    super(`${why} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, { cause });
    this.attempts = attempts;
  }
}

function describeNetworkError(error: Error): string {
  const code = (error.cause as { code?: string } | undefined)?.code;
  if (error instanceof AttemptTimeoutError) return error.message;
  return code ? `${error.message} (${code})` : error.message;
}

type Fetch = (input: Request) => Promise<Response>;

/** Called before each retry: the attempt that failed (1-based) and the wait before the next. */
export type RetryListener = (info: { attempt: number; delayMs: number; status?: number; error?: Error }) => void;

/** The parts of a Request that each attempt's Request is made from. */
function requestInit(request: Request, body: ArrayBuffer | null, signal: AbortSignal): RequestInit {
  return {
    method: request.method,
    headers: request.headers,
    body,
    signal,
    redirect: request.redirect,
    credentials: request.credentials,
    cache: request.cache,
    integrity: request.integrity,
    keepalive: request.keepalive,
    mode: request.mode,
    referrer: request.referrer,
    referrerPolicy: request.referrerPolicy,
  };
}

export function createTransport(baseFetch: Fetch, policy: TransportPolicy, onRetry?: RetryListener): Fetch {
  return async (request) => {
    const callerSignal = request.signal;
    // Read the body once: every attempt sends these bytes, without clone() (a stream tee) and
    // without building a Request from a Request (a TransformStream and a pipe).
    const body = request.body === null ? null : await request.arrayBuffer();
    let attempt = 0;
    for (;;) {
      attempt++;
      // One controller per attempt, linked to the caller's signal by a listener that is removed
      // when the attempt ends: a long-lived signal shared by thousands of calls (a bulk run)
      // must not collect a listener per call.
      const attemptController = new AbortController();
      const timer = setTimeout(
        () => attemptController.abort(new AttemptTimeoutError(policy.attemptTimeoutMs)),
        policy.attemptTimeoutMs,
      );
      const onCallerAbort = (): void => attemptController.abort(callerSignal.reason);
      if (callerSignal.aborted) onCallerAbort();
      else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
      const signal = attemptController.signal;
      let outcome: { response: Response } | { error: Error };
      try {
        const response = await baseFetch(new Request(request.url, requestInit(request, body, signal)));
        // Read the whole answer inside the attempt: a body cut short is a failed attempt.
        const answer = await readBody(response, signal);
        outcome = {
          response: new Response(answer, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          }),
        };
      } catch (error) {
        if (callerSignal.aborted) throw callerSignal.reason;
        outcome = { error: signal.aborted ? (signal.reason as Error) : (error as Error) };
      } finally {
        clearTimeout(timer);
        callerSignal.removeEventListener('abort', onCallerAbort);
      }
      const retriesLeft = attempt <= policy.retry.retries;
      if ('response' in outcome) {
        const { response } = outcome;
        if (!RETRYABLE_STATUSES.has(response.status) || !retriesLeft) return response;
        const delayMs = retryDelay(policy.retry, attempt - 1, parseRetryAfter(response.headers.get('retry-after')));
        onRetry?.({ attempt, delayMs, status: response.status });
        await sleep(delayMs, callerSignal);
      } else {
        if (!retriesLeft) throw new TransportError(attempt, outcome.error);
        const delayMs = retryDelay(policy.retry, attempt - 1, undefined);
        onRetry?.({ attempt, delayMs, error: outcome.error });
        await sleep(delayMs, callerSignal);
      }
    }
  };
}

async function readBody(response: Response, signal: AbortSignal): Promise<ArrayBuffer | null> {
  if (response.status === 204 || response.status === 304) return null;
  if (signal.aborted) throw signal.reason;
  return await response.arrayBuffer();
}
