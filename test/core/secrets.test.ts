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
