/** Turns the answer of a generated-client call into its data, or a typed error. */
import { ApiError, NetworkError } from './errors.js';

/** The shape every openapi-fetch call resolves to. */
export interface FetchOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'opc-request-id', 'x-oracle-dms-ecid', 'x-amzn-requestid'];

export function requestIdOf(response: Response): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = response.headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** The failure a body describes, in the words of either API (`error`, `message`, `title`, `detail`). */
export function describeBody(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body.trim().slice(0, 300);
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['error', 'message', 'title', 'detail', 'errorMessage']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 300);
  }
  return undefined;
}

/**
 * Awaits a generated-client call. Network failures become NetworkError (rejections caused by
 * the caller's AbortSignal are passed through as they are); a non-2xx answer becomes ApiError.
 */
export async function send<T>(
  operationId: string,
  call: () => Promise<FetchOutcome<T>>,
): Promise<{ data: T | undefined; response: Response }> {
  let outcome: FetchOutcome<T>;
  try {
    outcome = await call();
  } catch (error) {
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw error;
    const reason = error instanceof SyntaxError ? 'the answer is not valid JSON' : 'the request failed';
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new NetworkError(operationId, `${reason}${detail}`, { cause: error });
  }
  const { response } = outcome;
  if (!response.ok) {
    const body = outcome.error;
    const what = describeBody(body);
    throw new ApiError(`${response.status} ${response.statusText || 'error'}${what ? `: ${what}` : ''}`, {
      operationId,
      status: response.status,
      body,
      requestId: requestIdOf(response),
    });
  }
  return { data: outcome.data, response };
}
