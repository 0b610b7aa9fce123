/**
 * Credentials never leak: unique secrets are planted in every credential slot, the clients
 * are driven into every kind of failure (including a server that echoes the request's
 * headers back in its error body), and everything they produce is scanned.
 */
import { inspect } from 'node:util';
import { createEdgeImpulseClient, createOracleDocumentsClient } from '../../src/index.js';
import { type ScriptedServer, type SeenRequest, startScriptedServer } from '../helpers/scripted-server.js';

const SECRETS = {
  apiKey: 'ei_secret_apikey_7f3a91',
  jwtToken: 'eyJ.secret_jwt_b84c22',
  bearerToken: 'secret_bearer_19de55',
  password: 'secret_password_c0ffee',
  appLinkToken: 'secret_applink_token_5150',
};
const basic = Buffer.from(`operator:${SECRETS.password}`).toString('base64');
const NEEDLES = [...Object.values(SECRETS), basic];

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
afterEach(() => server.settle());

/** Everything a user or a log could see of a value. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }), String(value)];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: inspect covers it
  }
  if (value instanceof Error) out.push(value.stack ?? '', String(value.cause), inspect(value.cause, { depth: null }));
  return out;
}

function expectNoSecret(values: unknown[]): void {
  const text = values.flatMap(renderings).join('\n');
  const leaks = NEEDLES.flatMap((needle) => {
    const at = text.indexOf(needle);
    return at < 0 ? [] : [`${needle} in: ${text.slice(Math.max(0, at - 200), at + needle.length + 20)}`];
  });
  expect(leaks).toEqual([]);
  expect(text.length).toBeGreaterThan(0);
}

/** A server that echoes the request's own headers back (as JSON, or inside an HTML page). */
const echoHeaders =
  (status: number, type = 'application/json') =>
  (req: { headers: Record<string, unknown> }, res: import('node:http').ServerResponse) => {
    const headers = JSON.stringify(req.headers);
    const body = { success: false, errorCode: '-1', error: `rejected ${headers}`, echoed: req.headers };
    res.writeHead(status, { 'content-type': type });
    res.end(type === 'text/html' ? `<pre>${headers}</pre>` : JSON.stringify(body));
  };

it('no error, listener payload or client object carries a credential', async () => {
  const seen: unknown[] = [];
  const onRetry = (info: unknown) => seen.push(info);
  const retry = { retries: 1, baseDelayMs: 1 };
  // New clients for each script: a new script closes the server's connections, and a client
  // that reused one of them would see it reset (an extra retry, depending on timing).
  const clients: object[] = [];
  const kept = <T extends object>(client: T): T => {
    clients.push(client);
    return client;
  };
  const eiClients = [
    { apiKey: SECRETS.apiKey },
    { jwtToken: SECRETS.jwtToken },
    { bearerToken: SECRETS.bearerToken },
  ].map((auth) => () => kept(createEdgeImpulseClient({ auth, baseUrl: `${server.url}/v1`, retry, onRetry })));
  const oc = () =>
    kept(
      createOracleDocumentsClient({
        baseUrl: `${server.url}/documents/api/1.1`,
        auth: { username: 'operator', password: SECRETS.password },
        retry,
        onRetry,
      }),
    );
  const ocBearer = () =>
    kept(
      createOracleDocumentsClient({
        baseUrl: `${server.url}/documents/api/1.1`,
        auth: { bearerToken: SECRETS.bearerToken },
        retry,
      }),
    );
  const appLink = { id: 'LINK', accessToken: SECRETS.appLinkToken };
  const capture = (p: Promise<unknown>) =>
    p.then(
      (v) => seen.push(v),
      (e: unknown) => seen.push(e),
    );

  const scenarios: Parameters<ScriptedServer['reply']>[] = [
    [echoHeaders(401)], // echoed in a 4xx body
    [echoHeaders(200)], // echoed in a 200 failure body
    [echoHeaders(503)], // retried, then echoed
    [
      (_q, _r, socket) => {
        socket.destroy();
      },
    ], // network failure
    [echoHeaders(200, 'text/html')],
    [echoHeaders(502, 'text/html')],
  ];
  for (const replies of scenarios) {
    for (const client of eiClients) {
      server.reply(...replies);
      await capture(client().clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }));
      server.reply(...replies);
      await capture(client().getJobStatus({ projectId: 1, jobId: 2 }));
    }
    for (const client of [oc, ocBearer]) {
      server.reply(...replies);
      await capture(client().deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'], appLink }));
      server.reply(...replies);
      await capture(client().deleteFileMetadataValuesMany([{ fileId: 'F', collection: 'C', fields: ['A'], appLink }]));
    }
  }
  // Refused input, with secrets next to the bad value.
  const refuse = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      seen.push(error);
    }
  };
  refuse(() => createEdgeImpulseClient({ auth: { apiKey: `${SECRETS.apiKey}\r\n` } }));
  refuse(() => createEdgeImpulseClient({ auth: { apiKey: SECRETS.apiKey, jwtToken: SECRETS.jwtToken } as never }));
  refuse(() => createOracleDocumentsClient({ baseUrl: `https://operator:${SECRETS.password}@tenant.example.com/x` }));
  refuse(() => createOracleDocumentsClient({ baseUrl: `http://tenant.example.com/${SECRETS.password}` }));
  await capture(
    oc().deleteFileMetadataValues({
      fileId: 'F',
      collection: 'C',
      fields: ['A'],
      appLink: { id: 'L', accessToken: `${SECRETS.appLinkToken}\n` },
    }),
  );

  // The server really did see the secrets (so the scan below is meaningful) ...
  expect(JSON.stringify(server.requests)).toContain(SECRETS.appLinkToken);
  // ... and the failures really were produced.
  expect(seen.filter((v) => v instanceof Error)).toHaveLength(53);
  expectNoSecret([...seen, ...clients]);
});

describe('a server that echoes a credential where the answer is copied', () => {
  it('in its request-id header: error.requestId and the message are redacted', async () => {
    server.reply((req, res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'x-request-id': `req-${req.headers['x-api-key']}` });
      res.end(JSON.stringify({ success: false, error: 'no' }));
    });
    const client = createEdgeImpulseClient({
      auth: { apiKey: SECRETS.apiKey },
      baseUrl: `${server.url}/v1`,
      retry: false,
    });
    const error = await client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 500, requestId: 'req-[redacted]' });
    expect(error.message).toContain('request id req-[redacted]');
    expectNoSecret([error]);
  });

  /**
   * An applink call whose failure the body reports (errorCode -1), the server echoing in its
   * x-request-id header what `echo` takes from the request; resolves to the error.
   */
  async function refusedApplinkCall(echo: (request: SeenRequest) => string, appLinkId = 'L') {
    server.reply((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': echo(req) });
      res.end(JSON.stringify({ errorCode: '-1', errorMessage: 'locked' }));
    });
    const client = createOracleDocumentsClient({ baseUrl: `${server.url}/documents/api/1.1`, retry: false });
    return client
      .deleteFileMetadataValues({
        fileId: 'F',
        collection: 'C',
        fields: ['A'],
        appLink: { id: appLinkId, accessToken: SECRETS.appLinkToken },
      })
      .catch((e) => e);
  }

  it('Oracle applink token in the request-id header of a failure the body reports', async () => {
    const error = await refusedApplinkCall((req) => String(req.headers.accesstoken));
    expect(error).toMatchObject({ name: 'ApiError', requestId: '[redacted]' });
    expectNoSecret([error]);
  });

  it('a password shorter than four characters, echoed in the body, is redacted too', async () => {
    const password = 'Q7z';
    server.reply((req, res) => {
      const decoded = Buffer.from(String(req.headers.authorization).slice('Basic '.length), 'base64').toString();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorCode: '-1', errorMessage: `bad password ${decoded.split(':')[1]}` }));
    });
    const client = createOracleDocumentsClient({
      baseUrl: `${server.url}/documents/api/1.1`,
      auth: { username: 'operator', password },
      retry: false,
    });
    const error = await client
      .deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'] })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 401 });
    expect(error.message).toContain('bad password [redacted]');
    expect(renderings(error).join('\n')).not.toContain(password);
  });

  it('the Oracle applink ID in the request-id header is redacted like its token', async () => {
    const error = await refusedApplinkCall((req) => `id-${req.headers.applinkid}`, 'secret_applink_id_9d1e');
    expect(error).toMatchObject({ name: 'ApiError', requestId: 'id-[redacted]' });
    expect(renderings(error).join('\n')).not.toContain('secret_applink_id_9d1e');
  });

  it('as the whole body of a 200 JSON answer: the JSON.parse message in error.cause is redacted', async () => {
    // JSON.parse quotes up to about ten characters of what it choked on: a short key fits whole.
    const shortKey = 'k3yZq9';
    server.reply((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(String(req.headers['x-api-key']));
    });
    const client = createEdgeImpulseClient({ auth: { apiKey: shortKey }, baseUrl: `${server.url}/v1`, retry: false });
    const error = await client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', message: expect.stringMatching(/not valid JSON/) });
    expect(error.cause).toBeInstanceOf(Error);
    expect(String(error.cause.message)).toContain('[redacted]');
    expect(renderings(error).join('\n')).not.toContain(shortKey);
  });
});

describe('short credentials do not corrupt what the answer says', () => {
  const ORACLE_404 = { errorCode: '-16', errorKey: '!csFldDoesNotExist', errorMessage: 'Item FX9 not found zq7' };
  const oracleWith = (auth: { bearerToken: string } | { username: string; password: string }) =>
    createOracleDocumentsClient({ baseUrl: `${server.url}/documents/api/1.1`, auth, retry: false });
  const deleteOne = (client: ReturnType<typeof oracleWith>, extra: object = {}) =>
    client.deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'], ...extra }).catch((e) => e);

  it.each(['t', 'o', '1', 'Fo'])(
    'bearer token %j: the message, vendor code, key and body are the server’s own',
    async (bearerToken) => {
      server.reply({ status: 404, body: ORACLE_404 });
      const error = await deleteOne(oracleWith({ bearerToken }));
      expect(error).toMatchObject({
        name: 'ApiError',
        status: 404,
        vendorCode: '-16',
        vendorKey: '!csFldDoesNotExist',
        body: ORACLE_404,
      });
      expect(error.message).toBe(
        'deleteFileMetadataValues: the server answered 404 Not Found: Item FX9 not found zq7 (HTTP 404)',
      );
    },
  );

  it('a credential that is part of "-26" still lets the applink be renewed', async () => {
    server.reply(
      { status: 400, body: { errorCode: '-26', errorKey: '!csAppLinkInvalidToken', errorMessage: 'expired' } },
      { status: 200, body: { errorCode: '0' } },
    );
    const asked: unknown[] = [];
    const result = await deleteOne(oracleWith({ bearerToken: '2' }), {
      appLink: (request: { expired?: unknown }) => {
        asked.push(request.expired);
        return { id: 'LINK', accessToken: request.expired ? 'renewed-token-77' : 'first-token-66' };
      },
    });
    expect(result).toEqual({ errorCode: '0' });
    expect(asked).toEqual([undefined, { id: 'LINK', accessToken: 'first-token-66' }]);
    expect(server.requests.map((r) => r.headers.accesstoken)).toEqual(['first-token-66', 'renewed-token-77']);
  });

  it('a short credential echoed as a whole word or a whole value is still replaced', async () => {
    server.reply({ status: 401, body: { errorCode: '-1', errorMessage: 'bad password Q7z.', echo: 'Q7z', Q7z: 1 } });
    const error = await deleteOne(oracleWith({ username: 'operator', password: 'Q7z' }));
    expect(error.message).toBe(
      'deleteFileMetadataValues: the server answered 401 Unauthorized: bad password [redacted]. (HTTP 401)',
    );
    expect(error.body).toEqual({
      errorCode: '-1',
      errorMessage: 'bad password [redacted].',
      echo: '[redacted]',
      '[redacted]': 1,
    });
    expect(error.vendorCode).toBe('-1');
  });

  it('a long credential is replaced in its percent-encoded and JSON-escaped forms too', async () => {
    const apiKey = 'ei_secret/"quoted" & spaced 7f3a91';
    const forms = [apiKey, encodeURIComponent(apiKey), JSON.stringify(apiKey).slice(1, -1)];
    server.reply((req, res) => {
      const key = String(req.headers['x-api-key']);
      res.writeHead(502, { 'content-type': 'text/html', 'x-request-id': `r-${encodeURIComponent(key)}` });
      res.end(`<a href="/login?key=${encodeURIComponent(key)}">${JSON.stringify({ key })}</a> plain: ${key}`);
    });
    const client = createEdgeImpulseClient({ auth: { apiKey }, baseUrl: `${server.url}/v1`, retry: false });
    const error = await client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 502, requestId: 'r-[redacted]' });
    expect(error.body).toBe('<a href="/login?key=[redacted]">{"key":"[redacted]"}</a> plain: [redacted]');
    const text = renderings(error).join('\n');
    expect(forms.filter((form) => text.includes(form))).toEqual([]);
  });

  it('a body nested 100,000 levels deep becomes an ApiError, not a stack overflow', async () => {
    const depth = 100_000;
    server.reply((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(`${'{"a":['.repeat(depth)}"secret_bearer_19de55"${']}'.repeat(depth)}`);
    });
    const client = oracleWith({ bearerToken: SECRETS.bearerToken });
    const error = await deleteOne(client);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ApiError');
    expect(error.status).toBe(500);
    let node: unknown = error.body;
    let levels = 0;
    while (typeof node === 'object' && node !== null) {
      node = (node as { a: unknown[] }).a[0];
      levels++;
    }
    expect(levels).toBe(depth);
    expect(node).toBe('[redacted]');
  });
});
