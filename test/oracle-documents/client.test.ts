/** createOracleDocumentsClient end to end, over real HTTP, against the spec-driven sandbox. */
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, CancelledError, createOracleDocumentsClient, type DeleteManyItem } from '../../src/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { REPO } from '../helpers/workspace.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const client = (
  auth: NonNullable<Parameters<typeof createOracleDocumentsClient>[0]['auth']> = {
    username: 'operator',
    password: 'pw',
  },
) => createOracleDocumentsClient({ baseUrl: sandbox.oracleBaseUrl, auth });

const FILE_1 = 'D3C1C1F319CFE6B102095C5DT0000000000100000001';
const FILE_3 = 'DED694950C14AFF280419F9AB5D17B95F47087F4E518';

describe("the docs page's worked examples", () => {
  const page = readFileSync(join(REPO, 'specs/oracle-documents/docs-page.txt'), 'utf8');
  const section = page.slice(page.indexOf('\nExamples\n'));
  const bodies = [...section.matchAll(/Request Body\n\n(\{[\s\S]*?\n\})/g)].map((m) => JSON.parse(m[1] as string));
  const answers = [...section.matchAll(/JSON Response\n\n(\{[\s\S]*?\n\})/g)].map((m) => JSON.parse(m[1] as string));
  const header = (name: string) => new RegExp(`^${name}: (\\S+)$`, 'm').exec(section)?.[1] as string;

  it('example 1: fields A1 and A2 of CollectionA', async () => {
    sandbox.oracle.addFile({
      id: FILE_1,
      owner: 'operator',
      collections: { CollectionA: { A1: 'x', A2: 'y', A3: 'z' } },
    });
    const response = await client().deleteFileMetadataValues({
      fileId: FILE_1,
      collection: 'CollectionA',
      fields: ['A1', 'A2'],
    });
    expect(sandbox.requests[0]?.method).toBe('DELETE');
    expect(sandbox.requests[0]?.path).toBe(`/documents/api/1.1/files/${FILE_1}/metadata`);
    expect(sandbox.requests[0]?.body).toEqual(bodies[0]);
    expect(response).toEqual(answers[0]);
    expect(sandbox.oracle.file(FILE_1)?.collections.CollectionA).toEqual({ A3: 'z' });
  });

  it('example 2: a personal collection', async () => {
    sandbox.oracle.addFile({
      id: FILE_1,
      owner: 'operator',
      collections: { 'Personal.CollectionA': { A1: 'x', A2: 'y' } },
    });
    const response = await client().deleteFileMetadataValues({
      fileId: FILE_1,
      collection: 'Personal.CollectionA',
      fields: ['A1', 'A2'],
    });
    expect(sandbox.requests[0]?.body).toEqual(bodies[1]);
    expect(response).toEqual(answers[1]);
    expect(sandbox.oracle.file(FILE_1)?.collections['Personal.CollectionA']).toEqual({});
  });

  it('example 3: through an applink, with no other credential', async () => {
    const appLink = { id: header('appLinkID'), accessToken: header('accessToken') };
    sandbox.oracle.addFile({
      id: FILE_3,
      owner: 'someone-else',
      collections: { ApplinkCollection: { appField1: '1', appField2: '2' } },
      appLinks: [{ ...appLink, role: 'contributor' }],
    });
    const viaApplink = createOracleDocumentsClient({ baseUrl: sandbox.oracleBaseUrl });
    const response = await viaApplink.deleteFileMetadataValues({
      fileId: FILE_3,
      collection: 'ApplinkCollection',
      fields: ['appField1', 'appField2'],
      appLink,
    });
    const [request] = sandbox.requests;
    expect(request?.headers.applinkid).toBe(appLink.id);
    expect(request?.headers.accesstoken).toBe(appLink.accessToken);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual(bodies[2]);
    expect(response).toEqual(answers[2]);
  });
});

describe('auth', () => {
  it('Basic sends the user name and password', async () => {
    sandbox.oracle.addFile({ id: 'F', owner: 'operator', collections: { C: { A: '1' } } });
    await client({ username: 'operator', password: 'pä:ss' }).deleteFileMetadataValues({
      fileId: 'F',
      collection: 'C',
      fields: ['A'],
    });
    expect(sandbox.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('operator:pä:ss').toString('base64')}`,
    );
    expect(sandbox.requests[0]?.credential).toMatchObject({ scheme: 'basicAuth', identity: 'operator' });
  });

  it('a bearer token is sent as Authorization: Bearer', async () => {
    sandbox.oracle.addFile({ id: 'F', owner: 'tok-1', collections: { C: { A: '1' } } });
    await client({ bearerToken: 'tok-1' }).deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'] });
    expect(sandbox.requests[0]?.headers.authorization).toBe('Bearer tok-1');
    expect(sandbox.requests[0]?.credential?.scheme).toBe('bearerAuth');
  });
});

describe('failures are typed errors', () => {
  it('404 for an unknown file', async () => {
    const error = await client()
      .deleteFileMetadataValues({ fileId: 'NOPE', collection: 'C', fields: ['A'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ operationId: 'deleteFileMetadataValues', status: 404 });
  });

  it('403 when the caller may not change the file', async () => {
    sandbox.oracle.addFile({ id: 'F', owner: 'someone-else', collections: { C: { A: '1' } } });
    await expect(
      client().deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'] }),
    ).rejects.toMatchObject({
      name: 'ApiError',
      status: 403,
    });
    expect(sandbox.oracle.file('F')?.collections.C).toEqual({ A: '1' });
  });

  it('a non-"0" errorCode with HTTP 200 is an error', async () => {
    sandbox.oracle.addFile({ id: 'F', owner: 'operator', collections: {} });
    const error = await client()
      .deleteFileMetadataValues({ fileId: 'F', collection: 'NotAssigned', fields: ['A'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(200);
    expect((error as ApiError).body).toMatchObject({ errorCode: expect.not.stringMatching(/^0$/) });
    expect((error as Error).message).toMatch(/^deleteFileMetadataValues: the answer reports errorCode "[^0"]/);
  });
});

describe('errorCode in both of Oracle\'s forms: 0 and "0" are success, anything else an ApiError', () => {
  beforeEach(() => {
    sandbox.oracle.addFile({ id: 'F', owner: 'operator', collections: { C: { A: '1' } } });
  });

  it.each(['string', 'number'] as const)('succeeds on errorCode 0 written as a %s', async (form) => {
    sandbox.oracle.answerErrorCodesAs(form);
    const response = await client().deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'] });
    expect(response.errorCode).toBe(form === 'number' ? 0 : '0');
    expect(sandbox.requests[0]?.status).toBe(200);
    expect(sandbox.oracle.file('F')?.collections.C).toEqual({});
  });

  it.each([
    ['string', '-1'],
    ['number', -1],
  ] as const)('fails on a non-zero errorCode written as a %s, with HTTP 200', async (form, code) => {
    sandbox.oracle.answerErrorCodesAs(form);
    const error = await client()
      .deleteFileMetadataValues({ fileId: 'F', collection: 'NotAssigned', fields: ['A'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, vendorCode: code, body: { errorCode: code } });
    expect((error as Error).message).toBe(
      `deleteFileMetadataValues: the answer reports errorCode ${JSON.stringify(code)}: Collection NotAssigned is not assigned to file F (HTTP 200)`,
    );
  });

  it.each([
    ['string', { fileId: 'NOPE' }, 404, '-16', 'sandbox.itemNotFound', 'File NOPE not found'],
    ['number', { fileId: 'NOPE' }, 404, -16, 'sandbox.itemNotFound', 'File NOPE not found'],
    ['string', { fileId: 'G' }, 403, '-20', 'sandbox.insufficientPrivileges', 'may not change metadata of file G'],
  ] as const)(
    "carries Oracle's error body (errorCode as a %s) on a %j: the vendor's code, key and message",
    async (form, input, status, code, key, message) => {
      sandbox.oracle.answerErrorCodesAs(form);
      sandbox.oracle.addFile({ id: 'G', owner: 'someone-else', collections: { C: { A: '1' } } });
      const error = await client()
        .deleteFileMetadataValues({ ...input, collection: 'C', fields: ['A'] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, vendorCode: code, vendorKey: key });
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).toMatch(new RegExp(`^deleteFileMetadataValues: the server answered ${status} `));
    },
  );
});

describe("applink credentials from the caller's code", () => {
  const LINK = { id: 'LF5Bxj4TPo_p4n4qWn0tbKTicR2c', accessToken: '352FpiMmW66PeYI1Gh5b83I9CXRwZhLf' };
  const viaApplink = () => createOracleDocumentsClient({ baseUrl: sandbox.oracleBaseUrl });
  const seed = (ids: string[]): void => {
    for (const id of ids) {
      sandbox.oracle.addFile({
        id,
        owner: 'someone-else',
        collections: { C: { A: '1' } },
        appLinks: [{ ...LINK, role: 'contributor' }],
      });
    }
  };

  it.each([
    ['a sync function', () => ({ ...LINK })],
    ['an async function', async () => ({ ...LINK })],
  ])('takes %s, called for every request', async (_name, source) => {
    seed(['F1', 'F2']);
    const calls: unknown[] = [];
    const appLink = (request: unknown) => {
      calls.push(request);
      return source();
    };
    const oc = viaApplink();
    for (const fileId of ['F1', 'F2'])
      await oc.deleteFileMetadataValues({ fileId, collection: 'C', fields: ['A'], appLink });
    expect(calls).toEqual([{ fileId: 'F1' }, { fileId: 'F2' }]);
    expect(sandbox.requests.map((r) => [r.headers.applinkid, r.headers.accesstoken, r.status])).toEqual([
      [LINK.id, LINK.accessToken, 200],
      [LINK.id, LINK.accessToken, 200],
    ]);
  });

  it('asks for a new token after errorCode -26 and sends the request once more with it', async () => {
    seed(['F1']);
    sandbox.oracle.expireAppLinkToken(LINK.id);
    const asked: unknown[] = [];
    let current = { ...LINK };
    const response = await viaApplink().deleteFileMetadataValues({
      fileId: 'F1',
      collection: 'C',
      fields: ['A'],
      appLink: async (request) => {
        asked.push(request);
        if (request.expired) current = { id: LINK.id, accessToken: sandbox.oracle.renewAppLinkToken(LINK.id) };
        return current;
      },
    });
    expect(response.errorCode).toBe('0');
    expect(asked).toEqual([{ fileId: 'F1' }, { fileId: 'F1', expired: LINK }]);
    expect(sandbox.requests.map((r) => [r.headers.accesstoken, r.status])).toEqual([
      [LINK.accessToken, 400],
      [current.accessToken, 200],
    ]);
  });

  it('throws the -26 ApiError when the new token is refused too, without asking again', async () => {
    seed(['F1']);
    sandbox.oracle.expireAppLinkToken(LINK.id);
    let asked = 0;
    const error = await viaApplink()
      .deleteFileMetadataValues({
        fileId: 'F1',
        collection: 'C',
        fields: ['A'],
        appLink: () => {
          asked++;
          return { ...LINK };
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, vendorCode: '-26', vendorKey: 'sandbox.linkInvalidOrExpired' });
    expect(asked).toBe(2);
    expect(sandbox.requests).toHaveLength(2);
  });

  it('refuses what the function returns when it is not an applink, before sending', async () => {
    seed(['F1']);
    const error = await viaApplink()
      .deleteFileMetadataValues({
        fileId: 'F1',
        collection: 'C',
        fields: ['A'],
        appLink: () => ({ id: LINK.id }) as unknown as typeof LINK,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationError', field: 'appLink().accessToken' });
    expect(sandbox.requests).toHaveLength(0);
  });

  it('outlives its token in a bulk run: one refresh per expiry, however many files found it expired', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `F${i}`);
    seed(ids);
    // The caller's store: the current applink, renewed when the client says it expired.
    let current = { ...LINK };
    const refreshes: string[] = [];
    const appLink = async (request: { expired?: { accessToken: string } }) => {
      if (request.expired) {
        refreshes.push(request.expired.accessToken);
        current = { id: LINK.id, accessToken: sandbox.oracle.renewAppLinkToken(LINK.id) };
      }
      return current;
    };
    const results = await viaApplink().deleteFileMetadataValuesMany(
      ids.map((fileId) => ({ fileId, collection: 'C', fields: ['A'], appLink })),
      {
        concurrency: 8,
        // The token expires during the run, once the 10th file is done, with up to 7 calls in flight.
        onProgress: ({ done }) => done === 10 && sandbox.oracle.expireAppLinkToken(LINK.id),
      },
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(ids.every((id) => Object.keys(sandbox.oracle.file(id)?.collections.C ?? { x: 1 }).length === 0)).toBe(true);
    // Every request refused with -26 used the first token, and that token was handed back once.
    const refused = sandbox.requests.filter((r) => r.status === 400);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(new Set(refused.map((r) => r.headers.accesstoken))).toEqual(new Set([LINK.accessToken]));
    expect(refreshes).toEqual([LINK.accessToken]);
    expect(sandbox.requests.filter((r) => r.status === 200)).toHaveLength(60);
  });

  it('refreshes once per expiry even when every file brings its own applink function', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `F${i}`);
    seed(ids);
    let current = { ...LINK };
    const refreshes: string[] = [];
    // As in the README: one function per item, each reading and renewing the caller's store.
    const items = ids.map((fileId) => ({
      fileId,
      collection: 'C',
      fields: ['A'],
      appLink: async (request: { expired?: { accessToken: string } }) => {
        if (request.expired) {
          refreshes.push(request.expired.accessToken);
          current = { id: LINK.id, accessToken: sandbox.oracle.renewAppLinkToken(LINK.id) };
        }
        return current;
      },
    }));
    // The token has expired before the run: the first 8 requests, sent at once, all find it expired.
    sandbox.oracle.expireAppLinkToken(LINK.id);
    const results = await viaApplink().deleteFileMetadataValuesMany(items, { concurrency: 8 });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(sandbox.requests.filter((r) => r.status === 400).length).toBeGreaterThanOrEqual(1);
    expect(refreshes).toEqual([LINK.accessToken]);
  });

  it('refreshes once for each expiry: a later expiry of the new token is a new refresh', async () => {
    seed(['F1']);
    let current = { ...LINK };
    const refreshes: string[] = [];
    const appLink = (request: { expired?: { accessToken: string } }) => {
      if (request.expired) {
        refreshes.push(request.expired.accessToken);
        current = { id: LINK.id, accessToken: sandbox.oracle.renewAppLinkToken(LINK.id) };
      }
      return current;
    };
    const oc = viaApplink();
    const tokens = [current.accessToken];
    for (let i = 0; i < 3; i++) {
      sandbox.oracle.expireAppLinkToken(LINK.id);
      await oc.deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'], appLink });
      await oc.deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'], appLink });
      tokens.push(current.accessToken);
    }
    expect(refreshes).toEqual(tokens.slice(0, 3));
    expect(sandbox.requests.map((r) => r.status)).toEqual([400, 200, 200, 400, 200, 200, 400, 200, 200]);
  });
});

describe('path parameters arrive as exactly one encoded segment', () => {
  it.each(['../../folders/x', 'a/b', '%2F', 'with space', 'Dateï-名前', 'a?b#c', '.x'])('fileId %j', async (fileId) => {
    sandbox.oracle.addFile({ id: fileId, owner: 'operator', collections: { C: { A: '1' } } });
    await client().deleteFileMetadataValues({ fileId, collection: 'C', fields: ['A'] });
    expect(sandbox.requests[0]?.path).toBe(`/documents/api/1.1/files/${encodeURIComponent(fileId)}/metadata`);
    expect(sandbox.oracle.file(fileId)?.collections.C).toEqual({});
  });
});

describe('deleteFileMetadataValuesMany', () => {
  const items = (ids: string[]): DeleteManyItem[] => ids.map((fileId) => ({ fileId, collection: 'C', fields: ['A'] }));

  it('reports every item in input order, failures included, without rejecting', async () => {
    for (const id of ['F1', 'F2', 'F4'])
      sandbox.oracle.addFile({ id, owner: 'operator', collections: { C: { A: '1' } } });
    sandbox.oracle.addFile({ id: 'F5', owner: 'someone-else', collections: { C: { A: '1' } } });
    const progress: number[] = [];
    const results = await client().deleteFileMetadataValuesMany(items(['F1', 'F2', 'MISSING', 'F4', 'F5', '']), {
      concurrency: 3,
      onProgress: (p) => progress.push(p.done),
    });
    expect(results.map((r) => [r.fileId, r.ok])).toEqual([
      ['F1', true],
      ['F2', true],
      ['MISSING', false],
      ['F4', true],
      ['F5', false],
      ['', false],
    ]);
    const failures = results.filter((r) => !r.ok).map((r) => (r.ok ? undefined : r.error));
    expect(failures.map((e) => e?.name)).toEqual(['ApiError', 'ApiError', 'ValidationError']);
    expect(failures.map((e) => (e as ApiError).status)).toEqual([404, 403, undefined]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sandbox.requests).toHaveLength(5);
  });

  it('never has more calls in flight than the concurrency, and pulls the input lazily', async () => {
    const total = 300;
    for (let i = 0; i < total; i++)
      sandbox.oracle.addFile({ id: `F${i}`, owner: 'operator', collections: { C: { A: '1' } } });
    let inFlight = 0;
    let maxInFlight = 0;
    let pulled = 0;
    let finished = 0;
    let maxAhead = 0;
    const counting = createOracleDocumentsClient({
      baseUrl: sandbox.oracleBaseUrl,
      auth: { username: 'operator', password: 'pw' },
      fetch: async (request) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await fetch(request);
        } finally {
          inFlight--;
        }
      },
    });
    function* input(): Generator<DeleteManyItem> {
      for (let i = 0; i < total; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - finished);
        yield { fileId: `F${i}`, collection: 'C', fields: ['A'] };
      }
    }
    const results = await counting.deleteFileMetadataValuesMany(input(), {
      concurrency: 5,
      onProgress: (p) => (finished = p.done),
    });
    expect(results).toHaveLength(total);
    expect(results.every((r, i) => r.ok && r.fileId === `F${i}`)).toBe(true);
    expect(maxInFlight).toBe(5);
    expect(maxAhead).toBeLessThanOrEqual(5);
  });

  it('a signal shared by many calls keeps no listener from a finished call', async () => {
    sandbox.oracle.addFile({ id: 'F', owner: 'operator', collections: { C: { A: '1' } } });
    const { signal } = new AbortController();
    const oc = client();
    for (let i = 0; i < 300; i++)
      await oc.deleteFileMetadataValues({ fileId: 'F', collection: 'C', fields: ['A'], signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    const results = await oc.deleteFileMetadataValuesMany(items(Array.from({ length: 300 }, () => 'F')), { signal });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('takes an async iterable', async () => {
    sandbox.oracle.addFile({ id: 'A1', owner: 'operator', collections: { C: { A: '1' } } });
    async function* input(): AsyncGenerator<DeleteManyItem> {
      yield { fileId: 'A1', collection: 'C', fields: ['A'] };
    }
    const results = await client().deleteFileMetadataValuesMany(input());
    expect(results).toEqual([{ fileId: 'A1', ok: true, response: { errorCode: '0', idList: 'A1', type: 'file' } }]);
  });

  it('an aborted run reports the items it did not finish as cancelled', async () => {
    for (let i = 0; i < 20; i++)
      sandbox.oracle.addFile({ id: `F${i}`, owner: 'operator', collections: { C: { A: '1' } } });
    const controller = new AbortController();
    const results = await client().deleteFileMetadataValuesMany(items(Array.from({ length: 20 }, (_, i) => `F${i}`)), {
      concurrency: 2,
      signal: controller.signal,
      onProgress: (p) => p.done === 4 && controller.abort(new Error('stop')),
    });
    expect(results).toHaveLength(20);
    const cancelled = results.filter((r) => !r.ok && r.error instanceof CancelledError);
    expect(results.filter((r) => r.ok).length + cancelled.length).toBe(20);
    expect(cancelled.length).toBeGreaterThanOrEqual(15);
    expect(sandbox.requests.length).toBeLessThanOrEqual(6);
  });
});
