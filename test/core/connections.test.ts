/**
 * Connections: the idle timeout of kept-alive sockets, a request that meets a socket the server
 * closed while it was idle, retries only where sending twice is safe, close(), proxies
 * (HTTPS_PROXY / NO_PROXY and the `proxy` option, through a real CONNECT proxy on 127.0.0.1), and
 * the `ca` and `agent` options. Real servers on 127.0.0.1; where real time is what is tested (an
 * idle timeout), only its lower bound is asserted, which a busy machine cannot break.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, Agent as HttpsAgent } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  createEdgeImpulseClient,
  createOracleDocumentsClient,
  NetworkError,
  ValidationError,
} from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';
import { makeTlsCert, type TlsCert } from '../helpers/tls-cert.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** Which connection it came on (1-based, in the order connections were accepted). */
  connection: number;
  /** Its place on that connection: 1 for the first request. */
  onConnection: number;
}
type Handler = (req: Seen, res: ServerResponse, socket: Socket) => void;

interface TrackedServer {
  url: string;
  origin: string;
  port: number;
  seen: Seen[];
  handle: Handler;
  /** Connections accepted so far, and those still open. */
  accepted(): number;
  open(): number;
  /** Resolves when no connection is open any more. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

async function track(server: Server, scheme: 'http' | 'https', handle: Handler): Promise<TrackedServer> {
  const sockets = new Map<Socket, { id: number; requests: number }>();
  let accepted = 0;
  let waiters: (() => void)[] = [];
  const state: TrackedServer = {
    url: '',
    origin: '',
    port: 0,
    seen: [],
    handle,
    accepted: () => accepted,
    open: () => sockets.size,
    allClosed: () => (sockets.size === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets.keys()) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    for await (const _ of req) {
      // the body is not looked at
    }
    const info = sockets.get(req.socket);
    if (!info) return;
    info.requests++;
    const seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      connection: info.id,
      onConnection: info.requests,
    };
    state.seen.push(seen);
    state.handle(seen, res, req.socket);
  });
  // The server never closes an idle connection itself: whatever closes one is the client.
  server.keepAliveTimeout = 120_000;
  const onConnection = (socket: Socket): void => {
    sockets.set(socket, { id: ++accepted, requests: 0 });
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    });
  };
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.origin = `${scheme}://127.0.0.1:${state.port}`;
  state.url = state.origin;
  return state;
}

const json =
  (body: unknown, status = 200): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
const OK_EI = json({ success: true });
const OK_ORACLE = json({ errorCode: '0', items: [] });

/** Answers the first request of each connection; destroys the connection when a second arrives on it. */
const closeReusedConnections: Handler = (req, res, socket) => {
  if (req.onConnection > 1) socket.destroy();
  else OK_EI(req, res, socket);
};

const fast = { baseDelayMs: 1, maxDelayMs: 2 };
const later = (ms: number) => new Promise<'later'>((resolve) => setTimeout(() => resolve('later'), ms));

let plain: TrackedServer;
beforeEach(async () => {
  plain = await track(createServer(), 'http', OK_EI);
});
afterEach(() => plain.close());

const ei = (server: { url: string }, options: object = {}) =>
  createEdgeImpulseClient({
    auth: { apiKey: 'conn-test-key-1' },
    baseUrl: `${server.url}/v1`,
    retry: fast,
    ...options,
  });
const oracle = (server: { url: string }, options: object = {}) =>
  createOracleDocumentsClient({
    baseUrl: `${server.url}/documents/api/1.1`,
    auth: { bearerToken: 'conn-test-token-1' },
    retry: fast,
    ...options,
  });
const clear = (client: ReturnType<typeof ei>) =>
  client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' });
const del = (client: ReturnType<typeof oracle>) =>
  client.deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'] });
const rawPost = (client: ReturnType<typeof ei>) =>
  client.raw.POST('/api/{projectId}/raw-data/batch/clear-metadata-by-key', {
    params: { path: { projectId: 1 }, query: { category: 'all' } },
    body: { metadataKey: 'k' },
  });
const rawGet = (client: ReturnType<typeof ei>) =>
  client.raw.GET('/api/{projectId}/jobs/{jobId}/status', { params: { path: { projectId: 1, jobId: 2 } } });

describe('idle connections', () => {
  it('an idle kept-alive connection is closed by the client (default: after 4 s), not kept open for ever', async () => {
    const client = ei(plain);
    // Taken before the call: the socket's idle time starts later, when its answer has been read, so
    // the bound below holds however late this process sees the answer on a busy machine.
    const idleSince = performance.now();
    await clear(client);
    // The server never closes it (keepAliveTimeout 120 s): a close is the client's idle timeout.
    expect(await Promise.race([plain.allClosed().then(() => 'closed'), later(30_000)])).toBe('closed');
    // Timers never fire early (1 ms of rounding allowed).
    expect(performance.now() - idleSince).toBeGreaterThanOrEqual(3999);
  });

  it('idleTimeoutMs sets it, and is checked', async () => {
    const client = ei(plain, { idleTimeoutMs: 300 });
    const idleSince = performance.now();
    await clear(client);
    await plain.allClosed();
    expect(performance.now() - idleSince).toBeGreaterThanOrEqual(299);
    for (const bad of [0, -1, 1.5, '4s', 600_001]) {
      expect(() => ei(plain, { idleTimeoutMs: bad })).toThrow(ValidationError);
    }
  });
});

describe('a connection the server closed while it was idle', () => {
  it('is replaced at once: the request is sent again on a new connection, without a retry or its wait', async () => {
    plain.handle = closeReusedConnections;
    const retries: unknown[] = [];
    const client = ei(plain, { retry: fast, onRetry: (info: unknown) => retries.push(info) });
    await clear(client);
    await expect(clear(client)).resolves.toEqual({ status: 'done' });
    expect(retries).toEqual([]);
    // The first call, the second on the reused connection (closed by the server), and the same
    // request again on a connection of its own.
    expect(plain.seen.map((s) => s.onConnection)).toEqual([1, 2, 1]);
    expect(plain.accepted()).toBe(2);
  });

  it('with retry: false, an operation declared safe to repeat (a POST) goes out once: the broken connection is an error', async () => {
    plain.handle = closeReusedConnections;
    const client = ei(plain, { retry: false });
    await clear(client);
    // The server may have done it before the connection broke: sending it again is the caller's call.
    await expect(clear(client)).rejects.toThrow(NetworkError);
    expect(plain.seen.map((s) => s.onConnection)).toEqual([1, 2]);
  });

  it('the same holds for GET and DELETE, through client.raw too', async () => {
    plain.handle = (req, res, socket) => {
      if (req.onConnection > 1) socket.destroy();
      else if (req.method === 'DELETE') OK_ORACLE(req, res, socket);
      else json({ success: true, job: { id: 2 } })(req, res, socket);
    };
    const client = ei(plain, { retry: false });
    await rawGet(client);
    const { response } = await rawGet(client);
    expect(response.status).toBe(200);
    const documents = oracle(plain, { retry: false });
    await del(documents);
    await expect(del(documents)).resolves.toEqual({ errorCode: '0', items: [] });
    expect(plain.seen.map((s) => `${s.method} ${s.onConnection}`)).toEqual([
      'GET 1',
      'GET 2',
      'GET 1',
      'DELETE 1',
      'DELETE 2',
      'DELETE 1',
    ]);
  });

  it('a POST through client.raw is not sent again: it fails with a NetworkError after one request', async () => {
    plain.handle = closeReusedConnections;
    const client = ei(plain);
    await rawPost(client);
    const error = await rawPost(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 1, code: 'ECONNRESET', timedOut: false });
    expect(plain.seen).toHaveLength(2);
  });
});

describe('what is retried: idempotent methods, and operations declared safe to retry', () => {
  it('a POST through client.raw is sent once, whatever the answer', async () => {
    plain.handle = json({ success: false, error: 'busy' }, 503);
    const client = ei(plain);
    const { response } = await rawPost(client);
    expect(response.status).toBe(503);
    expect(plain.seen).toHaveLength(1);

    plain.handle = (_req, _res, socket) => socket.destroy();
    const error = await rawPost(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(plain.seen).toHaveLength(2);
  });

  it('a GET through client.raw is retried (1 + 2 requests); so is the facade POST declared safe', async () => {
    plain.handle = json({ success: false, error: 'busy' }, 503);
    const client = ei(plain);
    const { response } = await rawGet(client);
    expect(response.status).toBe(503);
    expect(plain.seen).toHaveLength(3);
    await expect(clear(client)).rejects.toMatchObject({ name: 'ApiError', status: 503 });
    expect(plain.seen).toHaveLength(6);
  });
});

describe('close() and Symbol.asyncDispose', () => {
  it('close the connections, refuse later calls before sending anything, and wait for calls in flight', async () => {
    let release: () => void = () => undefined;
    plain.handle = (req, res, socket) => {
      if (req.url.includes('/jobs/')) {
        release = () => json({ success: true, job: { id: 2, finished: false } })(req, res, socket);
      } else OK_EI(req, res, socket);
    };
    const client = ei(plain);
    await clear(client);
    const inFlight = client.getJobStatus({ projectId: 1, jobId: 2 });
    while (plain.seen.length < 2) await new Promise((r) => setImmediate(r));
    let closed = false;
    const closing = client.close().then(() => {
      closed = true;
    });
    await expect(clear(client)).rejects.toThrow(
      'client: close() was called; expected a client not yet closed (create a new one)',
    );
    expect(closed).toBe(false);
    release();
    await expect(inFlight).resolves.toMatchObject({ id: 2 });
    await closing;
    await plain.allClosed();
    expect(plain.seen).toHaveLength(2);
    await client.close(); // a second close is a no-op
  });

  it('both clients have them', async () => {
    plain.handle = (req, res, socket) => (req.method === 'DELETE' ? OK_ORACLE : OK_EI)(req, res, socket);
    const clients = [ei(plain), oracle(plain)] as const;
    await clear(clients[0]);
    await del(clients[1]);
    await clients[0][Symbol.asyncDispose]();
    await clients[1][Symbol.asyncDispose]();
    await plain.allClosed();
    await expect(del(clients[1])).rejects.toBeInstanceOf(ValidationError);
    await expect(rawGet(clients[0])).rejects.toBeInstanceOf(ValidationError);
    expect(plain.seen).toHaveLength(2);
  });
});

describe('TLS settings: ca and agent', () => {
  let tls: TlsCert;
  let secure: TrackedServer;
  beforeAll(async () => {
    tls = makeTlsCert(['tenant.test']);
  });
  beforeEach(async () => {
    secure = await track(createHttpsServer({ key: tls.key, cert: tls.cert }), 'https', OK_EI);
  });
  afterEach(() => secure.close());

  it('ca: a server whose certificate that CA signed is trusted, for this client only', async () => {
    await expect(clear(ei(secure, { ca: tls.cert, proxy: false }))).resolves.toEqual({ status: 'done' });
    await expect(clear(ei(secure, { ca: [Buffer.from(tls.cert)], proxy: false }))).resolves.toEqual({
      status: 'done',
    });
    await expect(clear(ei(secure, { proxy: false, retry: false }))).rejects.toThrow(/DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(() => ei(secure, { ca: 42 })).toThrow(ValidationError);
  });

  it('agent: requests go over the agent given, which the client leaves open', async () => {
    const agent = new HttpsAgent({ keepAlive: true, ca: tls.cert });
    try {
      const client = ei(secure, { agent: { https: agent } });
      await clear(client);
      await clear(client);
      expect(secure.accepted()).toBe(1);
      expect(Object.keys(agent.freeSockets)).toHaveLength(1);
      await client.close();
      expect(Object.keys(agent.freeSockets)).toHaveLength(1); // the caller's agent is the caller's to close
      expect(() => ei(secure, { agent: { https: agent }, ca: tls.cert })).toThrow(
        /options\.agent: .*cannot be combined with options\.ca/,
      );
      expect(() => ei(secure, { agent: agent })).toThrow(ValidationError);
    } finally {
      agent.destroy();
    }
  });
});

describe('proxies: a real CONNECT proxy on 127.0.0.1', () => {
  let tls: TlsCert;
  let secure: TrackedServer;
  let proxy: ConnectProxy;
  let refuse: ((req: IncomingMessage) => { status: number; body?: string } | undefined) | undefined;
  const saved: Record<string, string | undefined> = {};
  const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
  /** Sets the proxy variables for the client `make` creates (the environment is read then), and restores them. */
  const withEnv = <T>(vars: Record<string, string>, make: () => T): T => {
    for (const name of PROXY_VARS) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    Object.assign(process.env, vars);
    try {
      return make();
    } finally {
      for (const name of PROXY_VARS) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  };

  beforeAll(() => {
    tls = makeTlsCert(['tenant.test']);
  });
  beforeEach(async () => {
    secure = await track(createHttpsServer({ key: tls.key, cert: tls.cert }), 'https', (req, res, socket) =>
      (req.method === 'DELETE' ? OK_ORACLE : OK_EI)(req, res, socket),
    );
    refuse = undefined;
    proxy = await startConnectProxy({
      // Every tunnel leads to the test's TLS server, whatever name it was asked for.
      route: () => ({ host: '127.0.0.1', port: secure.port }),
      refuse: (req) => refuse?.(req),
    });
  });
  afterEach(async () => {
    await proxy.close();
    await secure.close();
  });
  const tenant = { url: 'https://tenant.test:8443' };

  it('HTTPS_PROXY: requests to a host the client cannot resolve go through one kept-alive tunnel', async () => {
    const client = withEnv({ HTTPS_PROXY: proxy.url }, () => ei(tenant, { ca: tls.cert }));
    for (let i = 0; i < 3; i++) await expect(clear(client)).resolves.toEqual({ status: 'done' });
    expect(proxy.connects).toEqual([{ target: 'tenant.test:8443', proxyAuthorization: undefined }]);
    expect(secure.seen.map((s) => s.headers.host)).toEqual([
      'tenant.test:8443',
      'tenant.test:8443',
      'tenant.test:8443',
    ]);
    expect(secure.seen[0]?.headers['x-api-key']).toBe('conn-test-key-1');
    const lowerCase = withEnv({ https_proxy: proxy.url }, () => oracle(tenant, { ca: tls.cert }));
    await expect(del(lowerCase)).resolves.toEqual({ errorCode: '0', items: [] });
    expect(proxy.connects).toHaveLength(2);
  });

  it('NO_PROXY: a listed host (and port) is reached directly; proxy: false ignores the environment', async () => {
    const direct = `127.0.0.1:${secure.port}`;
    const listed = withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: `other.example, ${direct}` }, () =>
      ei(secure, { ca: tls.cert }),
    );
    await clear(listed);
    const suffix = withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: '.example.com,127.0.0.1' }, () =>
      ei(secure, { ca: tls.cert }),
    );
    await clear(suffix);
    const star = withEnv({ HTTPS_PROXY: proxy.url, no_proxy: '*' }, () => ei(secure, { ca: tls.cert }));
    await clear(star);
    const off = withEnv({ HTTPS_PROXY: proxy.url }, () => ei(secure, { ca: tls.cert, proxy: false }));
    await clear(off);
    expect(proxy.connects).toEqual([]);
    const otherPort = withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1:1' }, () => ei(secure, { ca: tls.cert }));
    await clear(otherPort);
    expect(proxy.connects.map((c) => c.target)).toEqual([direct]);
    expect(secure.seen).toHaveLength(5);
  });

  it('the proxy option, with credentials: sent to the proxy only, and kept out of every error', async () => {
    const proxySecret = 'proxy-secret-password-4711';
    const proxyUrl = `http://ops:${proxySecret}@127.0.0.1:${proxy.port}`;
    const client = withEnv({ NO_PROXY: '*' }, () => ei(tenant, { ca: tls.cert, proxy: proxyUrl, noProxy: '' }));
    await clear(client);
    const expected = `Basic ${Buffer.from(`ops:${proxySecret}`).toString('base64')}`;
    expect(proxy.connects).toEqual([{ target: 'tenant.test:8443', proxyAuthorization: expected }]);
    expect(secure.seen[0]?.headers['proxy-authorization']).toBeUndefined();

    refuse = (req) => ({ status: 407, body: `bad credentials: ${req.headers['proxy-authorization']}` });
    const refused = ei(tenant, { ca: tls.cert, proxy: proxyUrl });
    const error = (await clear(refused).catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(
      `batchClearMetadataByKey: no answer: the proxy 127.0.0.1:${proxy.port} refused a tunnel to tenant.test:8443 (HTTP 407) (after 1 attempt)`,
    );
    expect(error.code).toBe('ERR_PROXY_TUNNEL');
    const everything = JSON.stringify({ error, cause: String(error.cause), stack: error.stack });
    expect(everything).not.toContain(proxySecret);
    expect(everything).not.toContain(expected.slice('Basic '.length));
  });

  it('a proxy that refuses the tunnel with 502 is retried; one that cannot be reached names itself', async () => {
    refuse = () => ({ status: 502 });
    const client = ei(tenant, { ca: tls.cert, proxy: proxy.url });
    await expect(clear(client)).rejects.toThrow(
      /refused a tunnel to tenant\.test:8443 \(HTTP 502\) \(after 3 attempts\)/,
    );
    expect(proxy.connects).toHaveLength(3);
    const gone = ei(tenant, { ca: tls.cert, proxy: 'http://127.0.0.1:1', retry: false });
    await expect(clear(gone)).rejects.toThrow(
      'batchClearMetadataByKey: no answer: ECONNREFUSED to the proxy 127.0.0.1:1 (after 1 attempt)',
    );
  });

  it('a proxy URL that cannot be used is refused when the client is created, naming where it came from', () => {
    expect(() => withEnv({ HTTPS_PROXY: 'socks5://proxy.corp:1080' }, () => ei(tenant))).toThrow(
      /^HTTPS_PROXY: the scheme socks5: is not supported; expected an http:\/\/ URL of the proxy/,
    );
    expect(() => withEnv({ https_proxy: 'http://proxy.corp:3128/some/path' }, () => ei(tenant))).toThrow(
      /^https_proxy: it has a path/,
    );
    // Without a scheme, as curl reads it: an HTTP proxy.
    expect(() => withEnv({ HTTPS_PROXY: 'proxy.corp:3128' }, () => ei(tenant))).not.toThrow();
    expect(() => ei(tenant, { proxy: 'https://127.0.0.1:3128' })).toThrow(/^options\.proxy: /);
    expect(() => ei(tenant, { proxy: 'http://127.0.0.1:3128', fetch })).toThrow(
      /options\.proxy: .*cannot be combined with options\.fetch/,
    );
  });

  it('the CLI goes through the proxy the environment names', async () => {
    const run = await runCli(
      // --no-backup: the one DELETE (the tenant here answers nothing else); a backed-up clear reads first.
      ['oracle', 'delete-metadata', '--file', 'F1', '--collection', 'C', '--field', 'A', '--no-backup', '--json'],
      {
        env: {
          HTTPS_PROXY: proxy.url,
          NODE_EXTRA_CA_CERTS: tls.certPath,
          OCM_BASE_URL: 'https://tenant.test:8443/documents/api/1.1',
          OCM_BEARER_TOKEN: 'cli-proxy-token-1',
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(proxy.connects.map((c) => c.target)).toEqual(['tenant.test:8443']);
    expect(secure.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['DELETE /documents/api/1.1/files/F1/metadata']);
  });
});
