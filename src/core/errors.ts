/**
 * Errors are values with a type. None of them carries a credential: they hold what the
 * caller passed as data (field names, the parsed answer), never request headers.
 */

/** Base class of every error metaclear throws on purpose. */
export class MetaclearError extends Error {
  override name = 'MetaclearError';
}

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

/** No usable answer arrived: the connection failed, or the answer could not be read. */
export class NetworkError extends MetaclearError {
  override name = 'NetworkError';
  readonly operationId: string;

  constructor(operationId: string, message: string, options?: { cause?: unknown }) {
    super(`${operationId}: ${message}`, options);
    this.operationId = operationId;
  }
}
