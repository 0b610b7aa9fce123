/**
 * Every error metaclear throws on purpose, and the guards that recognise them. None carries a
 * credential: errors hold what the caller passed as data (field names, the parsed answer, a host),
 * never a request header, a redirect's Location or anything the redactor has not seen.
 *
 * A process may hold two copies of these classes: an application that imports metaclear (its ESM
 * build) next to a dependency that requires it (its CommonJS build), or two versions. Every error
 * is marked with a registered symbol, and `instanceof` and the `is…` guards read that mark and the
 * error's `name`, so an error of one copy is an instance of the other copy's class.
 */

const MARK = Symbol.for('metaclear.error');

/** Base class of every error metaclear throws on purpose. */
export class MetaclearError extends Error {
  override name = 'MetaclearError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof`, most often a subclass.
    return isInstance(this, value);
  }
}

/** Whether `value` is an instance of `cls`: by its prototype chain, or as another copy's error marked and named as `cls`. */
function isInstance(cls: { name: string; prototype: object }, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (typeof value !== 'object' || value === null || (value as { [MARK]?: unknown })[MARK] !== true) return false;
  // Every error class extends MetaclearError directly, so its name is its kind.
  return cls.name === 'MetaclearError' || (value as Error).name === cls.name;
}
Object.defineProperty(MetaclearError.prototype, MARK, { value: true });

type ErrorClass<T> = { prototype: T; [Symbol.hasInstance](value: unknown): boolean };
const guard =
  <T>(cls: ErrorClass<T>) =>
  (value: unknown): value is T =>
    value instanceof (cls as unknown as abstract new () => T);

/** An input was refused before any request was sent. */
export class ValidationError extends MetaclearError {
  override name = 'ValidationError';
  /** The input field, as a path: `filter.ids[2]`, `appLink.accessToken`. */
  readonly field: string;
  /** What the field must be. */
  readonly expected: string;

  constructor(field: string, expected: string, problem?: string) {
    super(`${field}: ${problem ? `${problem}; ` : ''}expected ${expected}`);
    this.field = field;
    this.expected = expected;
  }
}

export interface ApiErrorDetails {
  operationId: string;
  /** The HTTP status of the answer (200 for an answer that reports failure in its body). */
  status: number;
  /** The answer's body: parsed JSON when it was JSON, else its text, else undefined. */
  body: unknown;
  /** The server's request id, when it sent one. */
  requestId?: string | undefined;
  /** The vendor's own error code from the body (Oracle's `errorCode`: -16, "-26", …), when it sent one. */
  vendorCode?: number | string | undefined;
  /** The vendor's machine-readable error key from the body (Oracle's `errorKey`), when it sent one. */
  vendorKey?: string | undefined;
}

/** The server answered, and the answer is a failure. */
export class ApiError extends MetaclearError {
  override name = 'ApiError';
  readonly operationId: string;
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string | undefined;
  /** The vendor's own error code (Oracle's `errorCode`, as sent: a number or a string), if any. */
  readonly vendorCode: number | string | undefined;
  /** The vendor's machine-readable error key (Oracle's `errorKey`), if any. */
  readonly vendorKey: string | undefined;

  constructor(message: string, details: ApiErrorDetails, options?: { cause?: unknown }) {
    const id = details.requestId ? `, request id ${details.requestId}` : '';
    super(`${details.operationId}: ${message} (HTTP ${details.status}${id})`, options);
    this.operationId = details.operationId;
    this.status = details.status;
    this.body = details.body;
    this.requestId = details.requestId;
    this.vendorCode = details.vendorCode;
    this.vendorKey = details.vendorKey;
  }
}

/** One attempt took longer than its timeout (connect, headers and body together). */
export class AttemptTimeoutError extends MetaclearError {
  override name = 'AttemptTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number, url?: URL) {
    super(`${url ? `${hostOf(url)} sent ` : ''}no complete answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** One attempt's connection could not be made or broke; `code` is Node's (ECONNREFUSED, ECONNRESET, …). */
export class ConnectionError extends MetaclearError {
  override name = 'ConnectionError';
  readonly code: string | undefined;
  /** Whether another attempt could succeed (false for TLS certificate errors, refused ports, bad URLs). */
  readonly retryable: boolean;
  /**
   * The request went out on a kept-alive connection that broke before any byte of an answer came
   * back: the server had most likely closed it while it was idle.
   */
  readonly idleClosed: boolean;
  constructor(message: string, code: string | undefined, retryable: boolean, cause: unknown, idleClosed = false) {
    super(message, { cause });
    this.code = code;
    this.retryable = retryable;
    this.idleClosed = idleClosed;
  }
}

/** No answer came: every attempt's connection failed, or timed out. */
export class NetworkError extends MetaclearError {
  override name = 'NetworkError';
  /** The facade operation; undefined for a `client.raw` call. */
  readonly operationId: string | undefined;
  /** Node's error code of the last attempt (ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED, …); undefined when it timed out. */
  readonly code: string | undefined;
  /** How many attempts were made. */
  readonly attempts: number;
  /** Whether the last attempt ended because its timeout (`timeoutMs`) ran out. */
  readonly timedOut: boolean;
  /** The last attempt's failure. */
  declare readonly cause: ConnectionError | AttemptTimeoutError;

  constructor(operationId: string | undefined, attempts: number, last: ConnectionError | AttemptTimeoutError) {
    const what = `no answer: ${last.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`;
    super(operationId === undefined ? what : `${operationId}: ${what}`, { cause: last });
    this.operationId = operationId;
    this.attempts = attempts;
    this.timedOut = last instanceof AttemptTimeoutError;
    this.code = last instanceof ConnectionError ? last.code : undefined;
  }
}

/** The answer was larger than `maxAnswerBytes` (after decoding); it was not read further. */
export class AnswerTooLargeError extends MetaclearError {
  override name = 'AnswerTooLargeError';
  readonly status: number;
  readonly limit: number;
  constructor(status: number, limit: number, encoded: boolean) {
    super(
      `the answer is larger than ${limit} bytes${encoded ? ' once decoded' : ''} (maxAnswerBytes); not read further`,
    );
    this.status = status;
    this.limit = limit;
  }
}

/** The answer's Content-Encoding is one the client cannot decode, or its encoded body is corrupt. */
export class UndecodableAnswerError extends MetaclearError {
  override name = 'UndecodableAnswerError';
  readonly status: number;
  constructor(status: number, encoding: string, why: string, cause?: unknown) {
    super(`the answer's content encoding "${encoding}" ${why}`, cause === undefined ? undefined : { cause });
    this.status = status;
  }
}

/** A redirect the transport does not follow: another origin, another method, or too many. */
export class RedirectRefusedError extends MetaclearError {
  override name = 'RedirectRefusedError';
  readonly status: number;
  /** The origin the server redirected to (the Location's path and query are never kept). */
  readonly targetOrigin: string;
  constructor(status: number, targetOrigin: string, why: string) {
    super(`the server redirected (HTTP ${status}) to ${targetOrigin}; not followed: ${why}`);
    this.status = status;
    this.targetOrigin = targetOrigin;
  }
}

/** Whether `value` is an error metaclear threw, from this copy of the package or another. */
export const isMetaclearError = guard(MetaclearError);
/** Whether `value` is a ValidationError, from this copy of the package or another. */
export const isValidationError = guard(ValidationError);
/** Whether `value` is an ApiError, from this copy of the package or another. */
export const isApiError = guard(ApiError);
/** Whether `value` is a NetworkError, from this copy of the package or another. */
export const isNetworkError = guard(NetworkError);

/** `host:port` of a URL, the port always written. */
export function hostOf(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}
