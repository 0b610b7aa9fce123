/** Turns the answer of a generated-client call into its data, or a typed error. */
import { ApiError, NetworkError } from './errors.js';
import { redact } from './redact.js';
import { AnswerTooLargeError, RedirectRefusedError, UndecodableAnswerError } from './transport-errors.js';

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
    // The caller's signal reaches the transport through the call's own fetch (ClientCore.init),
    // not through the Request: no listener per call on a signal many calls share.
    outcome = await call(undefined);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (
      error instanceof RedirectRefusedError ||
      error instanceof AnswerTooLargeError ||
      error instanceof UndecodableAnswerError
    ) {
      // The server did answer, with something that is not used: not retried, no body kept.
      throw new ApiError(error.message, { operationId, status: error.status, body: undefined }, { cause: error });
    }
    const message = redact(error instanceof Error ? error.message : String(error), secrets);
    throw new NetworkError(operationId, `no answer: ${message}`, { cause: error });
  }
  const { response } = outcome;
  const requestId = requestIdOf(response);
  const details = { operationId, status: response.status, requestId: requestId && redact(requestId, secrets) };
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
    // JSON.parse's message quotes the text it choked on: keep only a redacted copy.
    const why = error instanceof Error ? redact(error.message, secrets) : 'invalid JSON';
    throw fail('the answer is not valid JSON', text, new SyntaxError(why));
  }
}
