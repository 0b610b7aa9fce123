/**
 * The job path: above `jobThreshold` matching samples the request starts a job; the job status
 * endpoint reports it running until the `jobPolls`-th request, which finishes it (clearing the
 * key, or failing when armed with failNextJob).
 */
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clearMetadata, jobStatus } from './http.js';

const PROJECT = 5;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ jobThreshold: 2, jobPolls: 3 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.edgeImpulse.addSamples(PROJECT, [
    { id: 1, category: 'training', metadata: { k: 'v' } },
    { id: 2, category: 'training', metadata: { k: 'v' } },
    { id: 3, category: 'training', metadata: { k: 'v' } },
    { id: 4, category: 'testing', metadata: { k: 'v' } },
  ]);
});

const keysLeft = () => sandbox.edgeImpulse.samples(PROJECT).map((s) => [s.id, 'k' in s.metadata]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function startJob(): Promise<number> {
  const answer = await clearMetadata(sandbox, PROJECT, { category: 'training' });
  expect(answer.status).toBe(200);
  const body = answer.body as { success: boolean; id?: number };
  expect(body).toEqual({ success: true, id: expect.any(Number) });
  return body.id as number;
}

describe('clear-metadata-by-key jobs', () => {
  it('clears at once when the matches do not exceed the threshold', async () => {
    const answer = await clearMetadata(sandbox, PROJECT, { category: 'all', ids: '[1, 4]' });
    expect(answer.body).toEqual({ success: true });
    expect(keysLeft()).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(sandbox.edgeImpulse.jobs(PROJECT)).toEqual([]);
  });

  it('starts a job above the threshold, finishes it on the third poll, then clears', async () => {
    const jobId = await startJob();
    expect(keysLeft()).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, true],
    ]);

    const first = await jobStatus(sandbox, PROJECT, jobId);
    expect(first).toMatchObject({ status: 200 });
    expect(first.body).toEqual({
      success: true,
      job: {
        id: jobId,
        category: 'Clear metadata by key',
        categoryKey: 'batchClearMetadataByKey',
        key: expect.any(String),
        created: expect.stringMatching(ISO),
        started: expect.stringMatching(ISO),
        jobNotificationUids: [],
      },
    });
    const second = await jobStatus(sandbox, PROJECT, jobId);
    expect((second.body as { job: object }).job).not.toHaveProperty('finished');
    expect(keysLeft().every(([, has]) => has)).toBe(true);

    const third = await jobStatus(sandbox, PROJECT, jobId);
    expect((third.body as { job: object }).job).toMatchObject({
      id: jobId,
      finished: expect.stringMatching(ISO),
      finishedSuccessful: true,
    });
    expect(keysLeft()).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);

    const fourth = await jobStatus(sandbox, PROJECT, jobId);
    expect(fourth.body).toEqual(third.body);
    expect(sandbox.edgeImpulse.jobs(PROJECT)).toEqual([(third.body as { job: object }).job]);
  });

  it('clears the samples matched when the request arrived, not those added later', async () => {
    const jobId = await startJob();
    sandbox.edgeImpulse.addSamples(PROJECT, [{ id: 9, category: 'training', metadata: { k: 'v' } }]);
    for (let poll = 0; poll < 3; poll++) await jobStatus(sandbox, PROJECT, jobId);
    expect(sandbox.edgeImpulse.sample(PROJECT, 9)?.metadata).toEqual({ k: 'v' });
    expect(sandbox.edgeImpulse.clearOperations(PROJECT)).toEqual([
      { metadataKey: 'k', matchedSampleIds: [1, 2, 3], jobId },
    ]);
  });

  it('fails the next job when armed, changing nothing; the job after succeeds', async () => {
    sandbox.edgeImpulse.failNextJob(PROJECT, 'disk full');
    const failing = await startJob();
    let last: unknown;
    for (let poll = 0; poll < 3; poll++) last = (await jobStatus(sandbox, PROJECT, failing)).body;
    expect(last).toEqual({
      success: true,
      job: expect.objectContaining({
        id: failing,
        finished: expect.stringMatching(ISO),
        finishedSuccessful: false,
        additionalInfo: 'disk full',
      }),
    });
    expect(keysLeft().every(([, has]) => has)).toBe(true);

    const next = await startJob();
    expect(next).not.toBe(failing);
    for (let poll = 0; poll < 3; poll++) last = (await jobStatus(sandbox, PROJECT, next)).body;
    expect(last).toMatchObject({ job: { finishedSuccessful: true } });
    expect(keysLeft().filter(([, has]) => has)).toEqual([[4, true]]);
  });

  it('answers 404 for an unknown job, a job of another project, and an unknown project', async () => {
    const jobId = await startJob();
    sandbox.edgeImpulse.addProject(6);
    expect(await jobStatus(sandbox, PROJECT, jobId + 100)).toMatchObject({
      status: 404,
      body: { success: false, error: `Job ${jobId + 100} not found in project ${PROJECT}` },
    });
    expect(await jobStatus(sandbox, 6, jobId)).toMatchObject({ status: 404, body: { success: false } });
    expect(await jobStatus(sandbox, 99, jobId)).toMatchObject({
      status: 404,
      body: { success: false, error: 'Project 99 not found' },
    });
    // None of these counted as a poll of the job.
    expect(sandbox.edgeImpulse.job(PROJECT, jobId)).not.toHaveProperty('finished');
  });
});

describe('jobPolls: 0', () => {
  it('finishes jobs as they start', async () => {
    const instant = await startSandbox({ jobThreshold: 0, jobPolls: 0 });
    try {
      instant.edgeImpulse.addSamples(1, [{ id: 1, metadata: { k: 'v' } }]);
      const answer = await clearMetadata(instant, 1, { category: 'all' });
      const { id } = answer.body as { id: number };
      expect(instant.edgeImpulse.sample(1, 1)?.metadata).toEqual({});
      expect((await jobStatus(instant, 1, id)).body).toMatchObject({ job: { id, finishedSuccessful: true } });
    } finally {
      await instant.close();
    }
  });
});
