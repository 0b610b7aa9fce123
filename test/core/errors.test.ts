/**
 * The errors a user can name: every class the clients throw is exported, with what it carries
 * (NetworkError: code, attempts, timedOut; its cause, the last attempt's failure), and a second
 * copy of the package loaded in the same process (as when one dependency imports metaclear's ESM
 * build and another requires its CommonJS build) recognises the first copy's errors, both with
 * `instanceof` and with the `is…` guards. Real servers on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as metaclear from '../../src/index.js';
import {
  AnswerTooLargeError,
  ApiError,
  AttemptTimeoutError,
  ConnectionError,
  createEdgeImpulseClient,
  createOracleDocumentsClient,
  isApiError,
  isMetaclearError,
  isNetworkError,
  isValidationError,
  MetaclearError,
  NetworkError,
  RedirectRefusedError,
  UndecodableAnswerError,
  ValidationError,
} from '../../src/index.js';

let server: Server;
let url: string;
let handle: (res: import('node:http').ServerResponse) => void;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(res));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const closedPort = async (): Promise<string> => {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};
const ei = (baseUrl: string, options: object = {}) =>
  createEdgeImpulseClient({
    auth: { apiKey: 'errors-test-key' },
    baseUrl: `${baseUrl}/v1`,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
const clear = (client: ReturnType<typeof ei>) =>
  client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' });

describe('every error class is exported', () => {
  it('the transport errors and the base class, each a MetaclearError', () => {
    for (const cls of [
      ConnectionError,
      AttemptTimeoutError,
      RedirectRefusedError,
      AnswerTooLargeError,
      UndecodableAnswerError,
      ApiError,
      NetworkError,
      ValidationError,
      metaclear.JobFailedError,
      metaclear.JobTimeoutError,
      metaclear.CancelledError,
    ]) {
      expect(cls.prototype).toBeInstanceOf(MetaclearError);
    }
  });
});

describe('NetworkError: code, attempts, timedOut, and the last attempt as its cause', () => {
  it('a refused connection', async () => {
    const error = (await clear(ei(await closedPort())).catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({
      operationId: 'batchClearMetadataByKey',
      code: 'ECONNREFUSED',
      attempts: 3,
      timedOut: false,
    });
    expect(error.cause).toBeInstanceOf(ConnectionError);
    expect((error.cause as ConnectionError).code).toBe('ECONNREFUSED');
  });

  it('an attempt that timed out', async () => {
    handle = () => undefined; // never answers
    const error = (await clear(ei(url, { timeoutMs: 200, retry: false })).catch((e: unknown) => e)) as NetworkError;
    expect(error).toMatchObject({ name: 'NetworkError', attempts: 1, timedOut: true, code: undefined });
    expect(error.cause).toBeInstanceOf(AttemptTimeoutError);
    expect(error.message).toMatch(/sent no complete answer within 200 ms \(after 1 attempt\)$/);
  });

  it('client.raw callers get the same NetworkError (without an operationId)', async () => {
    const client = ei(await closedPort(), { retry: false });
    const error = await client.raw
      .GET('/api/{projectId}/jobs/{jobId}/status', { params: { path: { projectId: 1, jobId: 1 } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ operationId: undefined, code: 'ECONNREFUSED', attempts: 1 });
    expect((error as Error).message).toMatch(/^no answer: ECONNREFUSED to 127\.0\.0\.1:\d+ \(after 1 attempt\)$/);
  });

  it('client.raw callers get the answer errors as such; facade callers get them as the ApiError cause', async () => {
    handle = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' });
      res.end('{}');
    };
    const client = ei(url);
    const raw = await client.raw
      .GET('/api/{projectId}/jobs/{jobId}/status', { params: { path: { projectId: 1, jobId: 1 } } })
      .catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(UndecodableAnswerError);
    expect(raw).toMatchObject({ status: 200 });
    const facade = await clear(client).catch((e: unknown) => e);
    expect(facade).toBeInstanceOf(ApiError);
    expect((facade as ApiError).cause).toBeInstanceOf(UndecodableAnswerError);
  });
});

describe('a second copy of the package recognises the errors of the first', () => {
  // A module registry of its own: a second copy of every class, as the ESM and CommonJS builds are.
  let other: typeof metaclear;
  beforeAll(() => {
    jest.isolateModules(() => {
      other = require('../../src/index');
    });
  });

  it('is a distinct copy', () => {
    expect(other.ApiError).not.toBe(ApiError);
  });

  it('instanceof and the guards work across copies, both ways', async () => {
    handle = (res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorCode: '-16', errorKey: 'k', errorMessage: 'no such file' }));
    };
    const fromOther = await other
      .createOracleDocumentsClient({ baseUrl: `${url}/documents/api/1.1`, auth: { bearerToken: 'other-token' } })
      .deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'] })
      .catch((e: unknown) => e);
    expect(fromOther).toBeInstanceOf(other.ApiError);
    expect(fromOther instanceof ApiError).toBe(true);
    expect(fromOther instanceof MetaclearError).toBe(true);
    expect(fromOther instanceof NetworkError).toBe(false);
    expect(isApiError(fromOther)).toBe(true);
    expect(isMetaclearError(fromOther)).toBe(true);
    expect(isNetworkError(fromOther)).toBe(false);

    const fromThis = await createOracleDocumentsClient({
      baseUrl: `${await closedPort()}/documents/api/1.1`,
      auth: { bearerToken: 'this-token' },
      retry: false,
    })
      .deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'] })
      .catch((e: unknown) => e);
    expect(fromThis instanceof other.NetworkError).toBe(true);
    expect(other.isNetworkError(fromThis)).toBe(true);
    expect(other.isApiError(fromThis)).toBe(false);
    expect((fromThis as NetworkError).cause instanceof other.ConnectionError).toBe(true);

    const invalid = (() => {
      try {
        other.createEdgeImpulseClient({ auth: {} as never });
      } catch (error) {
        return error;
      }
    })();
    expect(isValidationError(invalid)).toBe(true);
    expect(invalid instanceof ValidationError).toBe(true);
  });

  it('the guards refuse look-alikes: a plain Error named ApiError, null, a string', () => {
    const fake = Object.assign(new Error('x'), { name: 'ApiError', status: 500 });
    for (const value of [fake, null, undefined, 'ApiError', { name: 'ApiError' }]) {
      expect(isApiError(value)).toBe(false);
      expect(isMetaclearError(value)).toBe(false);
      expect(value instanceof ApiError).toBe(false);
    }
  });
});
