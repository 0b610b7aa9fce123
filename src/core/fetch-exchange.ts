/**
 * One HTTP exchange over a caller-supplied `fetch` (the `fetch` option): a new Request per
 * attempt, redirects left to the transport (`redirect: 'manual'`), the answer read under the
 * same size limit. The attempt ends when `stop` aborts even if that fetch ignores its signal.
 */
import { AnswerTooLargeError } from './errors.js';
import { type Answer, type AttemptRequest, describeConnectionError, type Exchange, hasNoBody } from './transport.js';

type Fetch = (request: Request) => Promise<Response>;

/** `promise`, or the reason of `stop` as soon as it aborts. */
function unlessStopped<T>(promise: Promise<T>, stop: AbortSignal): Promise<T> {
  if (stop.aborted) return Promise.reject(stop.reason);
  return new Promise<T>((resolve, reject) => {
    const onStop = (): void => reject(stop.reason);
    stop.addEventListener('abort', onStop, { once: true });
    promise.then(
      (value) => {
        stop.removeEventListener('abort', onStop);
        resolve(value);
      },
      (error: unknown) => {
        stop.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}

async function readBounded(response: Response, maxAnswerBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const encoded = response.headers.has('content-encoding');
  // Refused before a byte is read when the answer says how long it is (a fetch that decoded it says the encoded length).
  if (!encoded && Number(response.headers.get('content-length')) > maxAnswerBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new AnswerTooLargeError(response.status, maxAnswerBytes, false);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxAnswerBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLargeError(response.status, maxAnswerBytes, encoded);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

export function createFetchExchange(userFetch: Fetch): Exchange {
  return async (request: AttemptRequest, maxAnswerBytes: number, stop: AbortSignal): Promise<Answer> => {
    const { url, method } = request;
    let response: Response;
    try {
      response = await unlessStopped(
        userFetch(
          new Request(url, {
            method,
            headers: request.headers,
            body: (request.text ?? request.body) as BodyInit | null,
            signal: stop,
            redirect: 'manual',
          }),
        ),
        stop,
      );
    } catch (error) {
      if (stop.aborted) throw stop.reason;
      throw describeConnectionError(error, url);
    }
    let body: Uint8Array | null = null;
    try {
      if (!hasNoBody(method, response.status)) body = await unlessStopped(readBounded(response, maxAnswerBytes), stop);
    } catch (error) {
      if (stop.aborted) throw stop.reason;
      if (error instanceof AnswerTooLargeError) throw error;
      throw describeConnectionError(error, url);
    }
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => {
      headers.push([name, value]);
    });
    return { status: response.status, statusText: response.statusText, headers, body };
  };
}
