/** createEdgeImpulseClient end to end, over real HTTP, against the spec-driven sandbox. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiError,
  createEdgeImpulseClient,
  EDGE_IMPULSE_BASE_URL,
  JobFailedError,
  JobTimeoutError,
  type SampleFilter,
} from '../../src/index.js';
import { type SampleInput, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { REPO } from '../helpers/workspace.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ jobThreshold: 4, jobPolls: 3 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const PROJECT = 7;
const client = (auth: Parameters<typeof createEdgeImpulseClient>[0]['auth'] = { apiKey: 'ei_key' }) =>
  createEdgeImpulseClient({ auth, baseUrl: sandbox.edgeImpulseBaseUrl });

/** Seeds samples that all carry the key "k"; returns a function listing the IDs that lost it. */
function seed(samples: SampleInput[]): () => number[] {
  sandbox.edgeImpulse.addSamples(
    PROJECT,
    samples.map((s) => ({ ...s, metadata: { k: 'v', ...s.metadata } })),
  );
  return () =>
    sandbox.edgeImpulse
      .samples(PROJECT)
      .filter((s) => !('k' in s.metadata))
      .map((s) => s.id);
}

describe('auth', () => {
  it.each([
    [{ apiKey: 'ei_key' }, 'ApiKeyAuthentication', 'x-api-key', 'ei_key'],
    [{ jwtToken: 'jwt.token' }, 'JWTHttpHeaderAuthentication', 'x-jwt-token', 'jwt.token'],
    [{ bearerToken: 'oauth-token' }, 'OAuth2', 'authorization', 'Bearer oauth-token'],
  ] as const)('%j reaches the server as the %s header', async (auth, scheme, header, value) => {
    seed([{ id: 1 }]);
    await client(auth).clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
    const [request] = sandbox.requests;
    expect(request?.headers[header]).toBe(value);
    expect(request?.credential?.scheme).toBe(scheme);
  });

  it('defaults to the server of the spec', () => {
    const spec = JSON.parse(readFileSync(join(REPO, 'generated/edge-impulse/openapi.json'), 'utf8'));
    expect(EDGE_IMPULSE_BASE_URL).toBe(spec.servers[0].url);
  });
});

describe('clearMetadataByKey', () => {
  it('clears the key on the matching samples and resolves done', async () => {
    const cleared = seed([
      { id: 1, category: 'training' },
      { id: 2, category: 'testing' },
    ]);
    const result = await client().clearMetadataByKey({ projectId: PROJECT, category: 'testing', metadataKey: 'k' });
    expect(result).toEqual({ status: 'done' });
    expect(cleared()).toEqual([2]);
    const [request] = sandbox.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v1/api/${PROJECT}/raw-data/batch/clear-metadata-by-key`);
    expect(request?.body).toEqual({ metadataKey: 'k' });
    expect(request?.status).toBe(200);
  });

  const samples: SampleInput[] = [
    {
      id: 1,
      label: 'idle',
      filename: 'walk.1.wav',
      length: 500,
      frequency: 50,
      signatureValid: true,
      enabled: true,
      dataType: 'audio',
      added: '2023-06-01T00:00:00Z',
    },
    {
      id: 2,
      label: 'snake',
      filename: 'run.2.wav',
      length: 1500,
      frequency: 100,
      signatureValid: false,
      enabled: true,
      dataType: 'audio',
      added: '2024-06-01T00:00:00Z',
    },
    {
      id: 3,
      label: '2.5',
      filename: 'walk.3.jpg',
      length: 2500,
      frequency: 200,
      signatureValid: true,
      enabled: false,
      dataType: 'image',
      added: '2025-06-01T00:00:00Z',
    },
    {
      id: 4,
      label: '7',
      filename: 'idle.4.jpg',
      length: 3500,
      frequency: 400,
      signatureValid: true,
      enabled: true,
      dataType: 'image',
      added: '2025-09-01T00:00:00Z',
    },
  ];

  // Each of the 20 filters besides category, on samples chosen so it selects a subset; and its wire form.
  it.each<[keyof SampleFilter, SampleFilter, number[], string]>([
    ['labels', { labels: ['idle', 'snake'] }, [1, 2], '["idle","snake"]'],
    ['filename', { filename: 'walk' }, [1, 3], 'walk'],
    ['maxLength', { maxLength: 2000 }, [1, 2], '2000'],
    ['minLength', { minLength: 2000 }, [3, 4], '2000'],
    ['minFrequency', { minFrequency: 150 }, [3, 4], '150'],
    ['maxFrequency', { maxFrequency: 150.5 }, [1, 2], '150.5'],
    ['signatureValidity', { signatureValidity: 'invalid' }, [2], 'invalid'],
    ['includeDisabled', { includeDisabled: 'disabled' }, [3], 'disabled'],
    ['ids', { ids: [2, 4] }, [2, 4], '[2,4]'],
    ['excludeIds', { excludeIds: [1, 2, 3] }, [4], '[1,2,3]'],
    ['minLabel', { minLabel: 3 }, [4], '3'],
    ['maxLabel', { maxLabel: 3 }, [3], '3'],
    ['search', { search: 'run' }, [2], 'run'],
    ['dataType', { dataType: 'image' }, [3, 4], 'image'],
    ['minId', { minId: 3 }, [3, 4], '3'],
    ['maxId', { maxId: 3 }, [1, 2], '3'],
    [
      'metadata',
      { metadata: { rules: [{ key: 'team', op: 'eq', values: ['a'] }] } },
      [1],
      '[{"key":"team","op":"eq","values":["a"]}]',
    ],
    ['minDate', { minDate: new Date('2024-01-01T00:00:00Z') }, [2, 3, 4], '2024-01-01T00:00:00.000Z'],
    ['maxDate', { maxDate: '2025-01-01T00:00:00Z' }, [1, 2], '2025-01-01T00:00:00.000Z'],
  ])(
    'filter %s reaches the server as the spec says and selects the right samples',
    async (name, filter, expected, wire) => {
      const cleared = seed(
        samples.map((s) => (s.id === 1 ? { ...s, metadata: { team: 'a' } } : { ...s, metadata: { team: 'b' } })),
      );
      await client().clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k', filter });
      expect(sandbox.requests[0]?.query[name]).toBe(wire);
      expect(sandbox.requests[0]?.status).toBe(200);
      expect(cleared()).toEqual(expected);
    },
  );

  it('combines every filter given (all must match)', async () => {
    const cleared = seed(samples);
    await client().clearMetadataByKey({
      projectId: PROJECT,
      category: 'training',
      metadataKey: 'k',
      filter: { dataType: 'image', includeDisabled: 'both', minLength: 3000, labels: ['7', '2.5'] },
    });
    expect(cleared()).toEqual([4]);
    expect(Object.keys(sandbox.requests[0]?.query ?? {}).sort()).toEqual([
      'category',
      'dataType',
      'includeDisabled',
      'labels',
      'minLength',
    ]);
  });

  describe('the metadata filter, as the spec describes it', () => {
    const tagged: SampleInput[] = [
      { id: 1, metadata: { foo: 'bar', site: 'x' } },
      { id: 2, metadata: { foo: 'baz', site: 'y' } },
      { id: 3, metadata: { foo: 'qux', site: 'x' } },
      { id: 4, metadata: { site: 'y' } },
    ];
    /** Which samples the filter selected, from the sandbox's record of the clear operation. */
    async function selected(
      metadata: NonNullable<SampleFilter['metadata']>,
      extra: SampleInput[] = [],
    ): Promise<number[]> {
      sandbox.edgeImpulse.addSamples(PROJECT, [...tagged, ...extra]);
      await client().clearMetadataByKey({
        projectId: PROJECT,
        category: 'all',
        metadataKey: 'site',
        filter: { metadata },
      });
      return sandbox.edgeImpulse.clearOperations(PROJECT)[0]?.matchedSampleIds ?? [];
    }

    it('and: every rule must match (example 1 of the spec)', async () => {
      const ids = await selected({
        combinator: 'and',
        rules: [
          { key: 'foo', op: 'eq', values: ['bar', 'baz'] },
          { key: 'site', op: 'eq', values: ['x'] },
        ],
      });
      expect(ids).toEqual([1]);
      expect(sandbox.edgeImpulse.samples(PROJECT).find((s) => s.id === 1)?.metadata).toEqual({ foo: 'bar' });
    });

    it('or: any rule may match; samples with a key no rule names are included too', async () => {
      const ids = await selected(
        {
          combinator: 'or',
          rules: [
            { key: 'foo', op: 'eq', values: ['qux'] },
            { key: 'site', op: 'eq', values: ['y'] },
          ],
        },
        [{ id: 6, metadata: { other: 'z' } }],
      );
      expect(ids).toEqual([2, 3, 4, 6]);
    });

    it('neq excludes the listed values; samples without any metadata are left out (example 2)', async () => {
      const ids = await selected(
        { noMetadata: false, combinator: 'or', rules: [{ key: 'foo', op: 'neq', values: ['bar'] }] },
        [{ id: 5 }],
      );
      expect(ids).not.toContain(5);
      expect(ids).toContain(2);
      expect(ids).toContain(3);
    });

    it('noMetadata: true includes the samples without any metadata', async () => {
      const ids = await selected({ noMetadata: true, rules: [{ key: 'foo', op: 'eq', values: ['bar'] }] }, [{ id: 5 }]);
      expect(ids).toEqual([1, 5]);
      expect(sandbox.requests[0]?.query.metadata).toBe(
        '[{"no_metadata":true},{"key":"foo","op":"eq","values":["bar"]}]',
      );
    });

    it('a rule without values matches every value of its key', async () => {
      expect(await selected({ rules: [{ key: 'foo', op: 'eq' }] })).toEqual([1, 2, 3]);
    });
  });

  it('throws an ApiError with status and body for an unknown project', async () => {
    const error = await client()
      .clearMetadataByKey({ projectId: 999, category: 'all', metadataKey: 'k' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ operationId: 'batchClearMetadataByKey', status: 404, body: { success: false } });
    expect((error as Error).message).toMatch(
      /^batchClearMetadataByKey: the server answered 404 Not Found: .+ \(HTTP 404\)$/,
    );
  });
});

describe('jobs', () => {
  const many = (n: number): SampleInput[] => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));

  it('a large selection starts a job; waitForJob follows it to success and the key is cleared', async () => {
    const cleared = seed(many(6));
    const result = await client().clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
    expect(result).toEqual({ status: 'job', jobId: expect.any(Number) });
    if (result.status !== 'job') return;
    expect(cleared()).toEqual([]);

    const seen: boolean[] = [];
    const job = await client().waitForJob({
      projectId: PROJECT,
      jobId: result.jobId,
      pollIntervalMs: 5,
      onProgress: (j) => seen.push(j.finished !== undefined),
    });
    expect(job).toMatchObject({ id: result.jobId, finishedSuccessful: true, finished: expect.any(String) });
    expect(seen).toEqual([false, false, true]);
    expect(cleared()).toEqual([1, 2, 3, 4, 5, 6]);
    const polls = sandbox.requests.filter((r) => r.operationId === 'getJobStatus');
    expect(polls).toHaveLength(3);
    expect(polls[0]?.path).toBe(`/v1/api/${PROJECT}/jobs/${result.jobId}/status`);
  });

  it('getJobStatus returns the job as the spec types it', async () => {
    seed(many(6));
    const result = await client().clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
    if (result.status !== 'job') throw new Error('expected a job');
    const job = await client().getJobStatus({ projectId: PROJECT, jobId: result.jobId });
    expect(job).toMatchObject({
      id: result.jobId,
      category: expect.any(String),
      categoryKey: expect.any(String),
      created: expect.any(String),
    });
    expect(job.finished).toBeUndefined();
  });

  it('rejects with JobFailedError when the job fails, and nothing is cleared', async () => {
    const cleared = seed(many(6));
    sandbox.edgeImpulse.failNextJob(PROJECT, 'disk full');
    const result = await client().clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
    if (result.status !== 'job') throw new Error('expected a job');
    const error = await client()
      .waitForJob({ projectId: PROJECT, jobId: result.jobId, pollIntervalMs: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).job).toMatchObject({ id: result.jobId, finishedSuccessful: false });
    expect(cleared()).toEqual([]);
  });

  // Real time, as a user gets it: the deadline fires during the first poll or the wait after it
  // (the waits and the deadline are tested exactly, in virtual time, in jobs.test.ts). A sandbox of
  // its own: a poll cut off by the deadline may still reach its server after the test has ended.
  it('rejects with JobTimeoutError when the job is not done in time', async () => {
    const own = await startSandbox({ jobThreshold: 4, jobPolls: 3 });
    try {
      own.edgeImpulse.addSamples(PROJECT, many(6));
      const ei = createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: own.edgeImpulseBaseUrl });
      const result = await ei.clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
      if (result.status !== 'job') throw new Error('expected a job');
      const error = await ei
        .waitForJob({ projectId: PROJECT, jobId: result.jobId, pollIntervalMs: 600_000, timeoutMs: 100 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobTimeoutError);
      expect(error).toMatchObject({ timeoutMs: 100, message: `job ${result.jobId} had not finished after 100 ms` });
      expect((error as JobTimeoutError).job?.finished).toBeUndefined();
    } finally {
      await own.close();
    }
  });

  it('rejects with the reason of an aborted signal, and stops polling', async () => {
    seed(many(6));
    const result = await client().clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
    if (result.status !== 'job') throw new Error('expected a job');
    const controller = new AbortController();
    const reason = new Error('operator stopped');
    const waiting = client().waitForJob({
      projectId: PROJECT,
      jobId: result.jobId,
      pollIntervalMs: 10_000,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(waiting).rejects.toBe(reason);
    expect(sandbox.requests.filter((r) => r.operationId === 'getJobStatus')).toHaveLength(1);
  });

  it('an unknown job is an ApiError naming getJobStatus', async () => {
    sandbox.edgeImpulse.addProject(PROJECT);
    await expect(client().getJobStatus({ projectId: PROJECT, jobId: 424242 })).rejects.toMatchObject({
      name: 'ApiError',
      operationId: 'getJobStatus',
      status: 404,
    });
  });
});

describe('the generated client and middleware', () => {
  it('client.raw is the authenticated openapi-fetch client', async () => {
    seed([{ id: 1 }]);
    const { data, response } = await client({ jwtToken: 'j' }).raw.POST(
      '/api/{projectId}/raw-data/batch/clear-metadata-by-key',
      {
        params: { path: { projectId: PROJECT }, query: { category: 'all', ids: '[1]' } },
        body: { metadataKey: 'k' },
      },
    );
    expect(response.status).toBe(200);
    expect(data).toEqual({ success: true });
    expect(sandbox.requests[0]?.headers['x-jwt-token']).toBe('j');
  });

  it('middleware given at creation sees the facade requests', async () => {
    seed([{ id: 1 }]);
    const seen: string[] = [];
    const ei = createEdgeImpulseClient({
      auth: { apiKey: 'k' },
      baseUrl: sandbox.edgeImpulseBaseUrl,
      headers: { 'x-trace': 'abc' },
      middleware: [
        {
          onRequest: ({ request }) => {
            seen.push(`${request.method} ${new URL(request.url).pathname}`);
            request.headers.set('x-from-middleware', '1');
            return request;
          },
        },
      ],
    });
    await ei.clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
    expect(seen).toEqual([`POST /v1/api/${PROJECT}/raw-data/batch/clear-metadata-by-key`]);
    expect(sandbox.requests[0]?.headers['x-from-middleware']).toBe('1');
    expect(sandbox.requests[0]?.headers['x-trace']).toBe('abc');
  });
});
