/**
 * The sandbox as a whole: its URLs, recorded requests, reset, independent instances, options,
 * seeding rules, and close.
 */
import { createServer } from 'node:net';
import { SAMPLE_DEFAULTS, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { basic, clearMetadata, EI_AUTH, JSON_TYPE, send } from './http.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  const probe = createServer();
  return new Promise((done, fail) => {
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}
beforeEach(() => sandbox.reset());

describe('startSandbox', () => {
  it('listens on 127.0.0.1 and derives both base URLs', () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.edgeImpulseBaseUrl).toBe(`${sandbox.url}/v1`);
    expect(sandbox.oracleBaseUrl).toBe(`${sandbox.url}/documents/api/1.1`);
  });

  it('gives each sandbox its own port and state', async () => {
    const other = await startSandbox();
    try {
      expect(other.url).not.toBe(sandbox.url);
      other.edgeImpulse.addSamples(1, [{ id: 1, metadata: { k: 'v' } }]);
      expect(sandbox.edgeImpulse.hasProject(1)).toBe(false);
      const answer = await clearMetadata(sandbox, 1, { category: 'all' });
      expect(answer.status).toBe(404);
      expect(other.edgeImpulse.sample(1, 1)?.metadata).toEqual({ k: 'v' });
      expect(other.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('listens on the port it is given', async () => {
    // A port found free may be taken by another process before the sandbox binds it: then another one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const fixed = await startSandbox({ port }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE' && attempt < 5) return undefined;
        throw error;
      });
      if (fixed === undefined) continue;
      try {
        expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
      } finally {
        await fixed.close();
      }
      return;
    }
  });

  it.each([{ port: -1 }, { jobThreshold: 1.5 }, { jobPolls: -2 }])('refuses %j', async (options) => {
    await expect(startSandbox(options)).rejects.toThrow(RangeError);
  });

  it('stops answering once closed', async () => {
    const closing = await startSandbox();
    await closing.close();
    await expect(fetch(`${closing.edgeImpulseBaseUrl}/api/1/jobs/1/status`)).rejects.toThrow();
  });
});

describe('recorded requests', () => {
  it('records method, raw path, decoded query, lower-cased headers, parsed body, routing and outcome', async () => {
    sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { k: 'v' } }]);
    await clearMetadata(
      sandbox,
      1,
      { category: 'all', metadata: '[{"key":"k","op":"eq"}]' },
      { headers: { 'X-Api-Key': 'ei_abc', ...JSON_TYPE } },
    );
    expect(sandbox.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/api/1/raw-data/batch/clear-metadata-by-key',
        query: { category: 'all', metadata: '[{"key":"k","op":"eq"}]' },
        rawQuery: 'category=all&metadata=%5B%7B%22key%22%3A%22k%22%2C%22op%22%3A%22eq%22%7D%5D',
        headers: expect.objectContaining({ 'x-api-key': 'ei_abc', 'content-type': 'application/json' }),
        body: { metadataKey: 'k' },
        api: 'edge-impulse',
        operationId: 'batchClearMetadataByKey',
        credential: { scheme: 'ApiKeyAuthentication', source: 'header x-api-key', identity: 'ei_abc' },
        status: 200,
      },
    ]);
  });

  it('records refused and unrouted requests too, with a non-JSON body as text', async () => {
    await send(`${sandbox.oracleBaseUrl}/files/F1/metadata`, {
      method: 'DELETE',
      headers: { authorization: basic('alice'), 'content-type': 'text/plain' },
      body: 'collection=A',
    });
    await send(`${sandbox.url}/elsewhere?x=1`, { headers: EI_AUTH });
    expect(sandbox.requests).toMatchObject([
      {
        method: 'DELETE',
        body: 'collection=A',
        api: 'oracle-documents',
        operationId: 'deleteFileMetadataValues',
        status: 415,
      },
      { method: 'GET', path: '/elsewhere', query: { x: '1' }, body: undefined, status: 404 },
    ]);
    expect(sandbox.requests[0]).not.toHaveProperty('credential');
    expect(sandbox.requests[1]).not.toHaveProperty('api');
  });

  it('reset clears the requests and both states, keeping the same objects', async () => {
    const { requests, edgeImpulse, oracle } = sandbox;
    edgeImpulse.addSamples(1, [{ id: 1 }]);
    oracle.addFile({ id: 'F1', owner: 'alice' });
    await send(`${sandbox.url}/`, {});
    sandbox.reset();
    expect(requests).toHaveLength(0);
    expect(sandbox.requests).toBe(requests);
    expect(edgeImpulse.projectIds()).toEqual([]);
    expect(oracle.files()).toEqual([]);
  });
});

describe('seeding', () => {
  it('fills sample defaults', () => {
    const [sample] = sandbox.edgeImpulse.addSamples(1, [{ id: 7 }, { id: 8, dataType: 'image' }]);
    expect(sample).toEqual({
      id: 7,
      category: SAMPLE_DEFAULTS.category,
      label: SAMPLE_DEFAULTS.label,
      filename: 'sample-7.wav',
      length: SAMPLE_DEFAULTS.length,
      frequency: SAMPLE_DEFAULTS.frequency,
      signatureValid: true,
      enabled: true,
      dataType: 'audio',
      added: new Date(SAMPLE_DEFAULTS.added),
      metadata: {},
    });
    expect(sandbox.edgeImpulse.sample(1, 8)?.filename).toBe('sample-8.jpg');
  });

  it('hands out copies, so tests cannot change the state behind the server', () => {
    sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { k: 'v' } }]);
    const copy = sandbox.edgeImpulse.samples(1)[0];
    if (copy) copy.metadata.k = 'changed';
    expect(sandbox.edgeImpulse.sample(1, 1)?.metadata).toEqual({ k: 'v' });
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice', collections: { C: { f: 'x' } } });
    const file = sandbox.oracle.file('F1');
    if (file) file.owner = 'mallory';
    expect(sandbox.oracle.file('F1')?.owner).toBe('alice');
  });

  it('refuses duplicates and bad input', () => {
    sandbox.edgeImpulse.addSamples(1, [{ id: 1 }]);
    expect(() => sandbox.edgeImpulse.addSamples(1, [{ id: 1 }])).toThrow('already has a sample 1');
    expect(() => sandbox.edgeImpulse.addSamples(1, [{ id: 2.5 }])).toThrow('integer');
    expect(() => sandbox.edgeImpulse.addSamples(1, [{ id: 3, added: 'yesterday' }])).toThrow('invalid added date');
    expect(() => sandbox.edgeImpulse.samples(42)).toThrow('no Edge Impulse project 42');
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice' });
    expect(() => sandbox.oracle.addFile({ id: 'F1', owner: 'bob' })).toThrow('already has an Oracle file F1');
  });
});
