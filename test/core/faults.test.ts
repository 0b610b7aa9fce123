/**
 * How the clients take a misbehaving network and server: a real HTTP server on 127.0.0.1
 * misbehaves on cue; each case states the outcome and how many requests the server saw.
 */
import {
  ApiError,
  createEdgeImpulseClient,
  createOracleDocumentsClient,
  JobFailedError,
  JobTimeoutError,
  NetworkError,
} from '../../src/index.js';
import { neverAnswer, type Reply, type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
// What a test's client left on the way (a request it gave up on) never reaches the next test.
afterEach(() => server.settle());

const OK_EI = { status: 200, body: { success: true } };
const retries: { attempt: number; delayMs: number; status?: number }[] = [];
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

const ei = (options: { retry?: object | false; timeoutMs?: number; onRetry?: (info: object) => void } = {}) =>
  createEdgeImpulseClient({
    auth: { apiKey: 'test-api-key-1' },
    baseUrl: `${server.url}/v1`,
    retry: fast,
    onRetry: (r) => retries.push({ attempt: r.attempt, delayMs: r.delayMs, ...(r.status ? { status: r.status } : {}) }),
    ...options,
  });
const oc = (options: { retry?: object | false; timeoutMs?: number } = {}) =>
  createOracleDocumentsClient({
    baseUrl: `${server.url}/documents/api/1.1`,
    auth: { bearerToken: 'test-bearer-token-1' },
    retry: fast,
    ...options,
  });
const clear = () => ei().clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' });
const del = () => oc().deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'] });
const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as Error }),
  );

beforeEach(() => {
  retries.length = 0;
});

/** Sends a status line and headers, some of the body, then breaks the connection. */
const cutMidBody: Reply = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  res.write('{"success": tr');
  setTimeout(() => res.socket?.destroy(), 10);
};
const resetBeforeAnswer: Reply = (_req, _res, socket) => {
  socket.destroy();
};

describe('retried, then success', () => {
  it.each([500, 502, 503, 504, 408])('HTTP %i once, then 200: succeeds on the second request', async (status) => {
    server.reply({ status, body: { success: false, error: 'try again' } }, OK_EI);
    await expect(clear()).resolves.toEqual({ status: 'done' });
    expect(server.requests).toHaveLength(2);
    expect(retries).toEqual([{ attempt: 1, delayMs: expect.any(Number), status }]);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(fast.baseDelayMs);
  });

  it('429 with Retry-After in seconds: waits what it asks, then succeeds', async () => {
    // A real wait of one second: waiting what the server asks is what is tested.
    server.reply({ status: 429, headers: { 'retry-after': '1' }, body: {} }, OK_EI);
    const started = performance.now();
    await expect(clear()).resolves.toEqual({ status: 'done' });
    expect(retries).toEqual([{ attempt: 1, delayMs: 1000, status: 429 }]);
    expect(server.requests).toHaveLength(2);
    // Timers may fire late on a busy machine, never early (1 ms of rounding allowed).
    expect(performance.now() - started).toBeGreaterThanOrEqual(999);
  });

  it('Retry-After as an HTTP date, and a Retry-After longer than the cap is shortened to it', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    server.reply(
      { status: 503, headers: { 'retry-after': later }, body: {} },
      { status: 429, headers: { 'retry-after': '3600' }, body: {} },
      OK_EI,
    );
    await expect(
      ei({ retry: { ...fast, maxRetryAfterMs: 20 } }).clearMetadataByKey({
        projectId: 1,
        category: 'all',
        metadataKey: 'k',
      }),
    ).resolves.toEqual({ status: 'done' });
    expect(retries.map((r) => r.delayMs)).toEqual([20, 20]);
    expect(server.requests).toHaveLength(3);
  });

  it('the request is the same on every attempt (method, path, query, body)', async () => {
    server.reply({ status: 503, body: {} }, OK_EI);
    await ei().clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k', filter: { ids: [1] } });
    const [first, second] = server.requests;
    expect(second).toEqual({ ...first, headers: expect.any(Object) });
    expect(first?.body).toBe('{"metadataKey":"k"}');
  });

  it('connection reset before the answer, then 200: succeeds', async () => {
    server.reply(resetBeforeAnswer, OK_EI);
    await expect(clear()).resolves.toEqual({ status: 'done' });
    expect(server.requests).toHaveLength(2);
  });

  it('connection broken in the middle of the body, then 200: succeeds', async () => {
    server.reply(cutMidBody, OK_EI);
    await expect(clear()).resolves.toEqual({ status: 'done' });
    expect(server.requests).toHaveLength(2);
  });

  it('an answer that does not come within the attempt timeout, then a fast one: succeeds', async () => {
    // The first answer never comes (held until the test ends); the attempt timeout is long
    // enough that the second, immediate answer is never timed out on a busy machine.
    server.reply(neverAnswer, OK_EI);
    await expect(
      ei({ timeoutMs: 2000 }).clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }),
    ).resolves.toEqual({ status: 'done' });
    expect(retries).toEqual([{ attempt: 1, delayMs: expect.any(Number) }]);
    expect(server.requests).toHaveLength(2);
  });
});

describe('retries exhausted or not allowed', () => {
  it('503 on every attempt: ApiError 503 after 1 + 2 requests (the default)', async () => {
    server.reply({ status: 503, body: { success: false, error: 'maintenance' } });
    const { error } = (await outcome(clear())) as { error: ApiError };
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, body: { error: 'maintenance' } });
    expect(error.message).toMatch(/the server answered 503 Service Unavailable: maintenance/);
    expect(server.requests).toHaveLength(3);
  });

  it('retries configured per client and per call, and turned off', async () => {
    server.reply({ status: 500, body: {} });
    await outcome(
      ei({ retry: { ...fast, retries: 4 } }).clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }),
    );
    expect(server.requests).toHaveLength(5);
    server.reply({ status: 500, body: {} });
    await outcome(ei().clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k', retry: { retries: 1 } }));
    expect(server.requests).toHaveLength(2);
    server.reply({ status: 500, body: {} });
    await outcome(oc({ retry: false }).deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'] }));
    expect(server.requests).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 422])('HTTP %i is never retried', async (status) => {
    server.reply({ status, body: { errorCode: String(status), title: 'no' } });
    const { error } = (await outcome(del())) as { error: ApiError };
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it('connection reset on every attempt: NetworkError after 3 requests', async () => {
    server.reply(resetBeforeAnswer);
    const { error } = (await outcome(clear())) as { error: NetworkError };
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(/^batchClearMetadataByKey: no answer: .+ \(after 3 attempts\)$/);
    expect(server.requests).toHaveLength(3);
  });

  it('a server that never answers: NetworkError naming the timeout, after every attempt timed out', async () => {
    server.reply(neverAnswer);
    const { error } = (await outcome(
      ei({ timeoutMs: 50, retry: { ...fast, retries: 1 } }).clearMetadataByKey({
        projectId: 1,
        category: 'all',
        metadataKey: 'k',
      }),
    )) as {
      error: NetworkError;
    };
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(/no complete answer within 50 ms \(after 2 attempts\)/);
    // Counted on the client's side: an attempt may be cut off before the server has read it.
    expect(retries).toEqual([{ attempt: 1, delayMs: expect.any(Number) }]);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });
});

describe('answers that cannot be used: typed errors, not retried', () => {
  it.each<[string, Reply, RegExp, number]>([
    [
      'truncated JSON',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"success": tr' },
      /the answer is not valid JSON/,
      200,
    ],
    [
      'malformed JSON',
      { status: 200, headers: { 'content-type': 'application/json' }, body: "{success: 'yes'}" },
      /the answer is not valid JSON/,
      200,
    ],
    [
      'an HTML page with 200',
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Sign in</body></html>' },
      /the answer is "text\/html"; expected JSON/,
      200,
    ],
    [
      'JSON sent as text/plain',
      { status: 200, headers: { 'content-type': 'text/plain' }, body: '{"success":true}' },
      /the answer is "text\/plain"; expected JSON/,
      200,
    ],
    [
      'no content type',
      (_q, res) => {
        res.removeHeader('content-type');
        res.end('{"success":true}');
      },
      /the answer is without a content type; expected JSON/,
      200,
    ],
    [
      'an empty body',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '' },
      /the answer is empty; expected a JSON body/,
      200,
    ],
    [
      'success: false with 200',
      { status: 200, body: { success: false, error: 'metadata key is locked' } },
      /^batchClearMetadataByKey: metadata key is locked \(HTTP 200\)$/,
      200,
    ],
  ])('%s', async (_name, reply, message, status) => {
    server.reply(reply);
    const { error } = (await outcome(clear())) as { error: ApiError };
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
    expect(server.requests).toHaveLength(1);
  });

  it('an HTML error page with 502: retried, then ApiError 502 carrying the page text', async () => {
    server.reply({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><h1>502 Bad Gateway</h1></html>',
    });
    const { error } = (await outcome(del())) as { error: ApiError };
    expect(error).toMatchObject({ name: 'ApiError', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' });
    expect(error.message).toMatch(/502 Bad Gateway: <html><h1>502 Bad Gateway<\/h1><\/html>/);
    expect(server.requests).toHaveLength(3);
  });

  it('Oracle: errorCode other than "0" with 200', async () => {
    server.reply({
      status: 200,
      headers: { 'x-request-id': 'req-42' },
      body: { errorCode: '-7', idList: 'F1', type: 'file', errorMessage: 'collection locked' },
    });
    const { error } = (await outcome(del())) as { error: ApiError };
    expect(error).toMatchObject({ name: 'ApiError', status: 200, requestId: 'req-42', body: { errorCode: '-7' } });
    expect(error.message).toBe(
      'deleteFileMetadataValues: the answer reports errorCode "-7": collection locked (HTTP 200, request id req-42)',
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('jobs', () => {
  const job = (extra: object) => ({
    status: 200,
    body: {
      success: true,
      job: {
        id: 9,
        category: 'Clear metadata',
        categoryKey: 'clear',
        key: 'k',
        created: '2024-01-01T00:00:00Z',
        jobNotificationUids: [],
        ...extra,
      },
    },
  });

  it('a job that fails: JobFailedError after the polls it took', async () => {
    server.reply(job({}), job({ finished: '2024-01-01T00:01:00Z', finishedSuccessful: false }));
    const { error } = (await outcome(ei().waitForJob({ projectId: 1, jobId: 9, pollIntervalMs: 1 }))) as {
      error: JobFailedError;
    };
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.job.finishedSuccessful).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('a job that never finishes: JobTimeoutError', async () => {
    // A server of its own, closed at the end: the poll this timeout aborts cannot reach a later test.
    const own = await startScriptedServer(job({}));
    try {
      const { error } = (await outcome(
        createEdgeImpulseClient({
          auth: { apiKey: 'test-api-key-1' },
          baseUrl: `${own.url}/v1`,
          retry: fast,
        }).waitForJob({
          projectId: 1,
          jobId: 9,
          pollIntervalMs: 10,
          timeoutMs: 100,
        }),
      )) as { error: JobTimeoutError };
      expect(error).toBeInstanceOf(JobTimeoutError);
      expect(error.message).toBe('job 9 had not finished after 100 ms');
      // How many polls fit in 100 ms depends on the machine (test/edge-impulse/jobs.test.ts
      // counts them in virtual time); whatever came was a status poll.
      for (const request of own.requests) expect(request.url).toBe('/v1/api/1/jobs/9/status');
    } finally {
      await own.close();
    }
  });

  it('polls that fail in between are retried with the same policy, and the job is followed to the end', async () => {
    // A server of its own: a poll the previous test aborted may still reach the shared server
    // late (on a busy machine) and take the first scripted answer meant for this test.
    const own = await startScriptedServer(
      job({}),
      { status: 503, body: {} },
      resetBeforeAnswer,
      job({ finished: '2024-01-01T00:01:00Z', finishedSuccessful: true }),
    );
    try {
      const progress: boolean[] = [];
      const done = await createEdgeImpulseClient({
        auth: { apiKey: 'test-api-key-1' },
        baseUrl: `${own.url}/v1`,
        retry: fast,
      }).waitForJob({
        projectId: 1,
        jobId: 9,
        pollIntervalMs: 1,
        onProgress: (j) => progress.push(Boolean(j.finished)),
      });
      expect(done.finishedSuccessful).toBe(true);
      expect(progress).toEqual([false, true]);
      expect(own.requests.map((r) => r.url)).toEqual(Array(4).fill('/v1/api/1/jobs/9/status'));
    } finally {
      await own.close();
    }
  });

  it('a poll that keeps failing ends the wait with that error', async () => {
    server.reply(job({}), { status: 500, body: { success: false, error: 'db down' } });
    const { error } = (await outcome(ei().waitForJob({ projectId: 1, jobId: 9, pollIntervalMs: 1 }))) as {
      error: ApiError;
    };
    expect(error).toMatchObject({ name: 'ApiError', operationId: 'getJobStatus', status: 500 });
    expect(server.requests).toHaveLength(4);
  });
});

describe('cancellation stops everything at once', () => {
  it('an attempt in flight', async () => {
    server.reply(neverAnswer);
    const controller = new AbortController();
    const call = ei().clearMetadataByKey({
      projectId: 1,
      category: 'all',
      metadataKey: 'k',
      signal: controller.signal,
    });
    // Aborted once the server holds the request: the attempt is in flight.
    await server.received(1);
    controller.abort(new Error('stop now'));
    await expect(call).rejects.toThrow('stop now');
    expect(server.requests).toHaveLength(1);
  });

  it('the wait before a retry', async () => {
    server.reply({ status: 503, headers: { 'retry-after': '30' }, body: {} });
    const controller = new AbortController();
    const waits: number[] = [];
    const client = ei({
      onRetry: (info) => {
        waits.push((info as { delayMs: number }).delayMs);
        // Aborted once the 30 s wait has begun (it begins right after this listener returns).
        setImmediate(() => controller.abort(new Error('stop now')));
      },
    });
    const call = client.clearMetadataByKey({
      projectId: 1,
      category: 'all',
      metadataKey: 'k',
      signal: controller.signal,
    });
    await expect(call).rejects.toThrow('stop now');
    expect(waits).toEqual([30_000]);
    expect(server.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    server.reply(OK_EI);
    const call = ei().clearMetadataByKey({
      projectId: 1,
      category: 'all',
      metadataKey: 'k',
      signal: AbortSignal.abort(new Error('never')),
    });
    await expect(call).rejects.toThrow('never');
    expect(server.requests).toHaveLength(0);
  });
});
