/**
 * What one attempt of the transport can fail with. Each error says what happened and to which
 * host, never with a header value or a redirect's Location (either may carry a secret).
 */
import { MetaclearError } from './errors.js';

/** One attempt took longer than its timeout (connect, headers and body together). */
export class AttemptTimeoutError extends MetaclearError {
  override name = 'AttemptTimeoutError';
  constructor(timeoutMs: number, url?: URL) {
    super(`${url ? `${hostOf(url)} sent ` : ''}no complete answer within ${timeoutMs} ms`);
  }
}

/** The connection could not be made or broke; `code` is Node's (ECONNREFUSED, ECONNRESET, …). */
export class ConnectionError extends MetaclearError {
  override name = 'ConnectionError';
  readonly code: string | undefined;
  /** Whether another attempt could succeed (false for TLS certificate errors, refused ports, bad URLs). */
  readonly retryable: boolean;
  constructor(message: string, code: string | undefined, retryable: boolean, cause: unknown) {
    super(message, { cause });
    this.code = code;
    this.retryable = retryable;
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

/** Thrown out of the transport when no attempt got an answer. */
export class TransportError extends MetaclearError {
  override name = 'TransportError';
  readonly attempts: number;
  constructor(attempts: number, cause: Error) {
    super(`${cause.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, { cause });
    this.attempts = attempts;
  }
}

/** `host:port` of a URL, the port always written. */
function hostOf(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
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
export function describeConnectionError(error: unknown, url: URL): ConnectionError {
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
  );
}
