/** Turns the answer of a generated-client call into its data, or a typed error. */
import { ApiError, NetworkError } from './errors.js';
import { redact } from './redact.js';

/** The shape every openapi-fetch call resolves to, with the success body read as text. */
export interface FetchOutcome {
  data?: string;
  error?: unknown;
  response: Response;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'opc-request-id', 'x-oracle-dms-ecid'];

export function requestIdOf(response: Response): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = response.headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * The failure a body describes, in the words of either API: Oracle's `errorMessage` or `title`
 * first (as Oracle's own toolkit reads them), then `error`, `message`, `detail`.
 */
export function describeBody(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.replace(/\s+/g, ' ').trim();
    return text === '' ? undefined : text.slice(0, 200);
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['errorMessage', 'title', 'error', 'message', 'detail']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 300);
  }
  return undefined;
}

/** The vendor's error code and key in a body (Oracle's `errorCode` and `errorKey`), when present. */
export function vendorErrorOf(body: unknown): { vendorCode?: number | string; vendorKey?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { errorCode, errorKey } = body as Record<string, unknown>;
  return {
    ...(typeof errorCode === 'number' || typeof errorCode === 'string' ? { vendorCode: errorCode } : {}),
    ...(typeof errorKey === 'string' ? { vendorKey: errorKey } : {}),
  };
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
}

export interface SendOptions {
  /** The caller's signal: when it aborted, its reason is thrown as it is. */
  signal?: AbortSignal | undefined;
  /** Values that must not appear in an error (credentials), replaced by "[redacted]". */
  secrets?: readonly string[];
}

/**
 * Runs `run` with a signal of its own that follows the caller's, unlinked when `run` ends.
 * The fetch layer keeps a listener on the signal a request is made with until the request is
 * garbage-collected; one long-lived signal shared by thousands of calls (a bulk run, an
 * operator's Ctrl-C) would otherwise collect thousands of listeners.
 */
async function linked<T>(
  signal: AbortSignal | undefined,
  run: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!signal) return run(undefined);
  const own = new AbortController();
  const follow = (): void => own.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  try {
    return await run(own.signal);
  } finally {
    signal.removeEventListener('abort', follow);
  }
}

/**
 * Awaits a generated-client call made with `parseAs: 'text'`. A failure to get any answer
 * becomes NetworkError (the caller's own abort is passed through as its reason); a non-2xx
 * answer, or a 2xx answer that is not a JSON document, becomes ApiError. Errors never hold a
 * secret, even one the server echoed back.
 */
export async function send<T>(
  operationId: string,
  call: (signal: AbortSignal | undefined) => Promise<FetchOutcome>,
  options: SendOptions = {},
): Promise<{ data: T; response: Response }> {
  const secrets = options.secrets ?? [];
  let outcome: FetchOutcome;
  try {
    outcome = await linked(options.signal, call);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const message = redact(error instanceof Error ? error.message : String(error), secrets);
    throw new NetworkError(operationId, `no answer: ${message}`, { cause: error });
  }
  const { response } = outcome;
  const details = { operationId, status: response.status, requestId: requestIdOf(response) };
  const fail = (message: string, body: unknown, cause?: unknown): ApiError => {
    const clean = redact(body, secrets);
    return new ApiError(
      redact(message, secrets),
      { ...details, ...vendorErrorOf(clean), body: clean },
      cause ? { cause } : undefined,
    );
  };
  if (!response.ok) {
    const body = outcome.error;
    const what = describeBody(body);
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw fail(`the server answered ${status}${what ? `: ${what}` : ''}`, body);
  }
  const text = outcome.data ?? '';
  const type = response.headers.get('content-type');
  if (text.trim() === '') throw fail('the answer is empty; expected a JSON body', text);
  if (!isJson(type)) {
    throw fail(`the answer is ${type ? `"${type.split(';')[0]}"` : 'without a content type'}; expected JSON`, text);
  }
  try {
    return { data: JSON.parse(text) as T, response };
  } catch (error) {
    throw fail('the answer is not valid JSON', text, error);
  }
}
