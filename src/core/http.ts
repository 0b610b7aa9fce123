/**
 * Turns the answer of a generated-client call into its data, or a typed error. An error copies
 * parts of the answer: the status, the vendor's code and key and the request id are read from the
 * answer as it came, then every value copied is redacted (core/redact.ts), and the message is
 * metaclear's own words (never redacted) around the redacted words of the server.
 */
import {
  AnswerTooLargeError,
  ApiError,
  MetaclearError,
  RedirectRefusedError,
  UndecodableAnswerError,
} from './errors.js';
import { Redactor } from './redact.js';

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

/**
 * The ApiError of an answer that is a failure. `message` gets what the body says (redacted) and
 * the redaction, for any other word of the server it quotes (a status text, a content type).
 */
export function answerError(
  operationId: string,
  response: Response,
  body: unknown,
  secrets: readonly string[],
  message: (what: string | undefined, redact: (text: string) => string) => string,
  cause?: unknown,
): ApiError {
  const redactor = new Redactor(secrets);
  const redact = (text: string): string => redactor.redact(text);
  // Read from the answer as it came: redaction never changes a code the caller acts on.
  const { vendorCode, vendorKey } = vendorErrorOf(body);
  const requestId = requestIdOf(response);
  const what = describeBody(body);
  return new ApiError(
    message(what === undefined ? undefined : redact(what), redact),
    {
      operationId,
      status: response.status,
      body: redactor.value(body),
      requestId: requestId === undefined ? undefined : redact(requestId),
      vendorCode: typeof vendorCode === 'string' ? redact(vendorCode) : vendorCode,
      vendorKey: vendorKey === undefined ? undefined : redact(vendorKey),
    },
    cause === undefined ? undefined : { cause },
  );
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
 * Awaits a generated-client call made with `parseAs: 'text'`. No answer: the transport's
 * NetworkError (the caller's own abort is passed through as its reason); an answer that is not
 * used (a redirect not followed, too large, undecodable), a non-2xx answer, or a 2xx answer that
 * is not a JSON document: ApiError. Errors never hold a secret, even one the server echoed back.
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
    if (error instanceof MetaclearError) throw error;
    // Not the transport's: a middleware's, say. Its message may quote anything it saw.
    const text = new Redactor(secrets).redact(error instanceof Error ? error.message : String(error));
    throw new MetaclearError(`${operationId}: ${text}`, { cause: error });
  }
  const { response } = outcome;
  if (!response.ok) {
    throw answerError(operationId, response, outcome.error, secrets, (what, redact) => {
      const status = `${response.status}${response.statusText ? ` ${redact(response.statusText)}` : ''}`;
      return `the server answered ${status}${what ? `: ${what}` : ''}`;
    });
  }
  const text = outcome.data ?? '';
  const type = response.headers.get('content-type');
  if (text.trim() === '') {
    throw answerError(operationId, response, text, secrets, () => 'the answer is empty; expected a JSON body');
  }
  if (!isJson(type)) {
    throw answerError(
      operationId,
      response,
      text,
      secrets,
      (_what, redact) =>
        `the answer is ${type ? `"${redact(type.split(';')[0] ?? '')}"` : 'without a content type'}; expected JSON`,
    );
  }
  try {
    return { data: JSON.parse(text) as T, response };
  } catch (error) {
    // JSON.parse's message quotes the text it choked on: keep only a redacted copy.
    const why = error instanceof Error ? new Redactor(secrets).redact(error.message) : 'invalid JSON';
    throw answerError(operationId, response, text, secrets, () => 'the answer is not valid JSON', new SyntaxError(why));
  }
}
