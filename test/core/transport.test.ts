/**
 * The transport under servers that misbehave: garbage collection during an attempt, redirects
 * to other origins, connection reuse, huge and compressed answers, one signal shared by many
 * calls, errors that name host and cause, the User-Agent. Real servers on 127.0.0.1 (HTTP, and
 * HTTPS with a certificate made at run time); no outcome depends on machine speed.
 */
import { execFile } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  ApiError,
  createEdgeImpulseClient,
  createOracleDocumentsClient,
  NetworkError,
  ValidationError,
} from '../../src/index.js';
import { runChildScript } from '../helpers/child-script.js';
import { makeTlsCert } from '../helpers/tls-cert.js';
import { REPO } from '../helpers/workspace.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;
interface TestServer {
  url: string;
  origin: string;
  seen: Seen[];
  connections: number;
  handle: Handler;
  server: Server;
  close(): Promise<void>;
}

async function listen(server: Server, scheme: 'http' | 'https', handle: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state: TestServer = {
    url: '',
    origin: '',
    seen: [],
    connections: 0,
    handle,
    server,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    state.seen.push(seen);
    state.handle(seen, res);
  });
  // Kept-alive connections stay open however long a busy machine takes between two requests: a
  // server closing one just as the client reuses it would add a connection and a retry.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.origin = `${scheme}://127.0.0.1:${port}`;
  state.url = state.origin;
  return state;
}

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const OK_EI = json({ success: true });
const OK_ORACLE = json({ errorCode: '0', items: [] });

const SECRET_KEY = 'ei_secret_apikey_5e1f0a';
const SECRET_PASSWORD = 'secret_password_77aa';
const SECRET_APPLINK = 'secret_applink_token_3c3c';

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  a = await listen(createServer(), 'http', OK_EI);
  b = await listen(createServer(), 'http', OK_ORACLE);
});
afterAll(async () => {
  await a.close();
  await b.close();
});
beforeEach(() => {
  a.seen.length = 0;
  b.seen.length = 0;
  a.connections = 0;
  b.connections = 0;
  a.handle = OK_EI;
  b.handle = OK_ORACLE;
});

const fast = { baseDelayMs: 1, maxDelayMs: 2 };
/**
 * For tests that start a Node process: longer than the process's own limit (runChildScript kills
 * it after 60 s), so a stuck process fails its test, never one already timed out by Jest.
 */
const CHILD_PROCESS_TEST_MS = 120_000;
const ei = (server: TestServer, options: object = {}) =>
  createEdgeImpulseClient({ auth: { apiKey: SECRET_KEY }, baseUrl: `${server.url}/v1`, retry: fast, ...options });
const oracle = (server: TestServer, options: object = {}) =>
  createOracleDocumentsClient({
    baseUrl: `${server.url}/documents/api/1.1`,
    auth: { username: 'operator', password: SECRET_PASSWORD },
    retry: fast,
    ...options,
  });
const clear = (client: ReturnType<typeof ei>, extra: object = {}) =>
  client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k', ...extra });
const del = (client: ReturnType<typeof oracle>, extra: object = {}) =>
  client.deleteFileMetadataValues({
    fileId: 'F1',
    collection: 'C',
    fields: ['A'],
    appLink: { id: 'LINK-1', accessToken: SECRET_APPLINK },
    ...extra,
  });
const failure = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, got a value');
};

describe('garbage collection cannot lose the timeout or the abort (node --expose-gc)', () => {
  const probe = (mode: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // The bound only ends a hang; a working transport settles in 1.5 s (timeout) or at once (abort).
      const child = execFile(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', join(REPO, 'test', 'helpers', 'gc-probe.ts'), mode],
        { cwd: REPO, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? (child.exitCode ?? -1) : 0, stdout, stderr }),
      );
    });

  it('the attempt timeout fires after a collection while the attempt is in flight', async () => {
    const { stdout, stderr } = await probe('timeout');
    expect(stderr).not.toMatch(/Error/);
    expect(JSON.parse(stdout)).toEqual({
      outcome: 'rejected',
      name: 'NetworkError',
      message: expect.stringMatching(/no complete answer within 1500 ms \(after 1 attempt\)$/),
    });
  });

  it("the caller's abort ends the attempt after a collection", async () => {
    const { stdout } = await probe('abort');
    expect(JSON.parse(stdout)).toEqual({ outcome: 'rejected', name: 'Error', message: 'stopped by the caller' });
  });
});

describe('redirects: no credential ever leaves its origin', () => {
  it.each([301, 302, 303, 307, 308])(
    'HTTP %i to another origin: not followed, ApiError naming the status and origin',
    async (status) => {
      a.handle = (_req, res) => {
        res.writeHead(status, { location: `${b.origin}/steal?token=${SECRET_KEY}` });
        res.end();
      };
      const error = await failure(clear(ei(a)));
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, operationId: 'batchClearMetadataByKey' });
      expect(error.message).toContain(`(HTTP ${status}) to ${b.origin}; not followed`);
      expect(error.message).not.toContain('/steal');
      expect(JSON.stringify(error)).not.toContain(SECRET_KEY);
      expect(b.seen).toHaveLength(0);
      expect(a.seen).toHaveLength(1);
    },
  );

  it('Oracle: neither Basic credentials nor the applink headers reach another origin', async () => {
    a.handle = (_req, res) => {
      res.writeHead(302, { location: `${b.origin}/documents/api/1.1/files/F1/metadata` });
      res.end();
    };
    const error = await failure(del(oracle(a)));
    expect(error).toMatchObject({ name: 'ApiError', status: 302 });
    expect(b.seen).toHaveLength(0);
    expect(a.seen[0]?.headers.accesstoken).toBe(SECRET_APPLINK);
  });

  it('same-origin 307 and 308 are followed with the same method, body and headers', async () => {
    a.handle = (req, res) => {
      if (req.url.startsWith('/documents/api/1.1/files/F1/')) {
        res.writeHead(req.url.includes('moved') ? 308 : 307, {
          location: req.url.includes('moved') ? '/new/files/F1/metadata' : '/documents/api/1.1/files/F1/moved',
        });
        res.end();
      } else OK_ORACLE(req, res);
    };
    await expect(del(oracle(a))).resolves.toEqual({ errorCode: '0', items: [] });
    expect(a.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'DELETE /documents/api/1.1/files/F1/metadata',
      'DELETE /documents/api/1.1/files/F1/moved',
      'DELETE /new/files/F1/metadata',
    ]);
    const [first, , last] = a.seen;
    expect(last?.body).toBe(first?.body);
    expect(last?.body).toBe('{"collection":"C","fields":"A"}');
    expect(last?.headers.accesstoken).toBe(SECRET_APPLINK);
    expect(last?.headers.authorization).toBe(first?.headers.authorization);
  });

  it('a same-origin redirect loop ends after maxRedirects, as an ApiError, not retried', async () => {
    a.handle = (_req, res) => {
      res.writeHead(307, { location: '/v1/again' });
      res.end();
    };
    const error = await failure(clear(ei(a, { maxRedirects: 3 })));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/not followed: more than 3 redirects \(maxRedirects\)/);
    expect(a.seen).toHaveLength(4);
  });

  it(
    'https redirected to plain http on the same host is refused before anything is sent in clear',
    async () => {
      const tls = makeTlsCert();
      const secure = await listen(createHttpsServer({ key: tls.key, cert: tls.cert }), 'https', (_req, res) => {
        res.writeHead(301, { location: `${a.origin}/v1/api/1/raw-data/batch/clear-metadata-by-key` });
        res.end();
      });
      try {
        const { stdout } = await runChildScript(
          `
        const c = createEdgeImpulseClient({ auth: { apiKey: ${JSON.stringify(SECRET_KEY)} }, baseUrl: ${JSON.stringify(`${secure.origin}/v1`)} });
        const e = await c.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }).catch((e) => e);
        out({ name: e.name, status: e.status, message: e.message });`,
          { NODE_EXTRA_CA_CERTS: tls.certPath },
        );
        expect(JSON.parse(stdout)).toEqual({
          name: 'ApiError',
          status: 301,
          message: expect.stringContaining(`to ${a.origin}; not followed: it leaves https for plain http`),
        });
        expect(secure.seen).toHaveLength(1);
        expect(a.seen).toHaveLength(0);
      } finally {
        await secure.close();
      }
    },
    CHILD_PROCESS_TEST_MS,
  );
});

describe('connections are reused', () => {
  it('DELETE with a body keeps its connection: 40 files at concurrency 4 open at most 4 connections', async () => {
    const client = oracle(b);
    const items = Array.from({ length: 40 }, (_, i) => ({ fileId: `F${i}`, collection: 'C', fields: ['A'] }));
    const results = await client.deleteFileMetadataValuesMany(items, { concurrency: 4 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(b.seen).toHaveLength(40);
    expect(b.connections).toBeGreaterThanOrEqual(1);
    expect(b.connections).toBeLessThanOrEqual(4);
    expect(b.seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength('{"collection":"C","fields":"A"}')));
    expect(b.seen[0]?.headers.connection).toBe('keep-alive');
  });
});

describe('answers are bounded', () => {
  const bigBody =
    (bytes: number): Handler =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < bytes) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    };

  it('a 50 MB answer is cut off at the default 8 MiB: ApiError, not retried', async () => {
    a.handle = bigBody(50 * 1024 * 1024);
    const error = await failure(clear(ei(a)));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200 });
    expect(error.message).toMatch(/the answer is larger than 8388608 bytes \(maxAnswerBytes\); not read further/);
    expect(a.seen).toHaveLength(1);
  });

  it('a gzip answer that decodes past the limit is cut off while decoding', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(200 * 1024);
    a.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    };
    const error = await failure(clear(ei(a)));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/larger than 8388608 bytes once decoded/);
    expect(a.seen).toHaveLength(1);
  });

  it.each([
    ['a corrupt gzip body', 'gzip', Buffer.from('not gzip at all')],
    ['an encoding the client cannot decode', 'zstd', Buffer.from('{"success":true}')],
    ['stacked encodings', 'gzip, br', Buffer.from('{"success":true}')],
  ])('%s is an ApiError naming the encoding, not retried', async (_name, encoding, body) => {
    a.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(body);
    };
    const error = await failure(clear(ei(a)));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200 });
    expect(error.message).toContain(`"${encoding}"`);
    expect(a.seen).toHaveLength(1);
  });

  it('a compressed answer within the limit is decoded; maxAnswerBytes is configurable and checked', async () => {
    a.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ success: true, note: 'x'.repeat(500) })));
    };
    await expect(clear(ei(a))).resolves.toEqual({ status: 'done' });
    const error = await failure(clear(ei(a, { maxAnswerBytes: 100 })));
    expect(error.message).toMatch(/larger than 100 bytes once decoded/);
    for (const bad of [0, -1, 1.5, '8MB', 2 ** 31]) {
      expect(() => ei(a, { maxAnswerBytes: bad })).toThrow(ValidationError);
    }
    expect(() => ei(a, { maxRedirects: 21 })).toThrow('options.maxRedirects: got 21; expected an integer from 0 to 20');
  });
});

describe('one signal shared by many calls', () => {
  it(
    '10,000 concurrent calls on one signal: no warning, at most one listener on it, all stopped by one abort',
    async () => {
      // In a process of its own: Node prints MaxListenersExceededWarning on the real process.
      const { stdout, stderr } = await runChildScript(`
      import { getEventListeners } from 'node:events';
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.name));
      const controller = new AbortController();
      let arrived = 0;
      let allArrived;
      const all = new Promise((resolve) => { allArrived = resolve; });
      // The caller's own fetch (the fetch option): holds every call until it is aborted.
      const client = createEdgeImpulseClient({
        auth: { apiKey: 'k' },
        baseUrl: 'http://127.0.0.1:9/v1',
        fetch: (request) => new Promise((_resolve, reject) => {
          if (++arrived === 10000) allArrived();
          request.signal.addEventListener('abort', () => reject(request.signal.reason));
        }),
      });
      const calls = Array.from({ length: 10000 }, () =>
        client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k', signal: controller.signal }).catch((e) => e));
      await all;
      const listenersInFlight = getEventListeners(controller.signal, 'abort').length;
      controller.abort(new Error('operator stop'));
      const outcomes = await Promise.all(calls);
      await new Promise((r) => setImmediate(r));
      out({
        listenersInFlight,
        listenersAfter: getEventListeners(controller.signal, 'abort').length,
        stopped: outcomes.filter((e) => e instanceof Error && e.message === 'operator stop').length,
        warnings,
      });`);
      expect(stderr).not.toMatch(/Warning/);
      expect(JSON.parse(stdout)).toEqual({ listenersInFlight: 1, listenersAfter: 0, stopped: 10_000, warnings: [] });
    },
    CHILD_PROCESS_TEST_MS,
  );

  it('1,000 calls in flight to a real server on one signal keep one listener on it', async () => {
    const controller = new AbortController();
    const held: ServerResponse[] = [];
    let release: () => void = () => undefined;
    const allHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    b.handle = (_req, res) => {
      held.push(res);
      if (held.length === 1000) release();
    };
    const client = oracle(b);
    const calls = Array.from({ length: 1000 }, (_, i) =>
      client.deleteFileMetadataValues({ fileId: `F${i}`, collection: 'C', fields: ['A'], signal: controller.signal }),
    );
    await allHeld;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const res of held) OK_ORACLE({} as Seen, res);
    await Promise.all(calls);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('errors say what happened, and what no retry can fix is not retried', () => {
  it('a refused connection names the host and port, and is retried', async () => {
    const closed = await listen(createServer(), 'http', OK_EI);
    await closed.close();
    const error = await failure(clear(ei(closed)));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(
      `batchClearMetadataByKey: no answer: ECONNREFUSED to ${closed.origin.slice('http://'.length)} (after 3 attempts)`,
    );
  });

  it('a TLS certificate error is not retried, and says so', async () => {
    const tls = makeTlsCert();
    const secure = await listen(createHttpsServer({ key: tls.key, cert: tls.cert }), 'https', OK_EI);
    try {
      const error = await failure(clear(ei(secure)));
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.message).toMatch(/no answer: DEPTH_ZERO_SELF_SIGNED_CERT to 127\.0\.0\.1:\d+ \(after 1 attempt\)$/);
      expect(secure.connections).toBe(1);
      expect(secure.seen).toHaveLength(0);
    } finally {
      await secure.close();
    }
  });

  it('a port fetch refuses (through the fetch option) is not retried', async () => {
    const calls: string[] = [];
    const client = createEdgeImpulseClient({
      auth: { apiKey: 'k' },
      baseUrl: 'http://127.0.0.1:6000/v1',
      retry: fast,
      fetch: (request) => {
        calls.push((request as Request).url);
        return fetch(request);
      },
    });
    const error = await failure(clear(client));
    expect(error.message).toBe(
      'batchClearMetadataByKey: no answer: a port fetch refuses (bad port) to 127.0.0.1:6000 (after 1 attempt)',
    );
    expect(calls).toHaveLength(1);
  });
});

describe('User-Agent', () => {
  it('is metaclear/<version> node/<version>, and the headers option replaces it', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    await clear(ei(a));
    expect(a.seen[0]?.headers['user-agent']).toBe(`metaclear/${version} node/${process.versions.node}`);
    await clear(ei(a, { headers: { 'User-Agent': 'ops-cleanup/2' } }));
    expect(a.seen[1]?.headers['user-agent']).toBe('ops-cleanup/2');
  });
});
