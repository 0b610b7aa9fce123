/**
 * pollJob in virtual time (test/edge-impulse/virtual-clock.ts), each poll a real status request
 * to the sandbox: the waits between polls and the deadline, exactly, without waiting for them.
 */

import { POLL_DEFAULTS, pollJob } from '../../src/edge-impulse/jobs.js';
import { createEdgeImpulseClient, JobTimeoutError } from '../../src/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { VirtualClock } from './virtual-clock.js';

const PROJECT = 3;
/** One sandbox per number of polls its jobs take to finish. */
const sandboxes = new Map<number, Promise<Sandbox>>();
afterAll(async () => {
  for (const sandbox of sandboxes.values()) await (await sandbox).close();
});

/**
 * Starts a job on a sandbox whose jobs finish on the `jobPolls`-th status request (default: more
 * than any test here makes); returns its id, a fetchJob that asks the sandbox for its status, and
 * how many status requests the sandbox has seen.
 */
async function startJob(jobPolls = 1000) {
  if (!sandboxes.has(jobPolls)) sandboxes.set(jobPolls, startSandbox({ jobThreshold: 0, jobPolls }));
  const sandbox = (await sandboxes.get(jobPolls)) as Sandbox;
  sandbox.reset();
  sandbox.edgeImpulse.addSamples(PROJECT, [{ id: 1, metadata: { k: 'v' } }]);
  const client = createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: sandbox.edgeImpulseBaseUrl });
  const result = await client.clearMetadataByKey({ projectId: PROJECT, category: 'all', metadataKey: 'k' });
  if (result.status !== 'job') throw new Error('expected a job');
  const { jobId } = result;
  const fetchJob = (signal: AbortSignal) => client.getJobStatus({ projectId: PROJECT, jobId, signal });
  const statusRequests = () => sandbox.requests.filter((r) => r.operationId === 'getJobStatus').length;
  return { jobId, fetchJob, statusRequests };
}

it('waits 1.5 times longer after each poll, up to maxPollIntervalMs, until the job has finished', async () => {
  const { jobId, fetchJob, statusRequests } = await startJob(7);
  const clock = new VirtualClock();
  const job = await pollJob(jobId, fetchJob, { pollIntervalMs: 1000, maxPollIntervalMs: 3000 }, clock);
  expect(job).toMatchObject({ id: jobId, finishedSuccessful: true });
  expect(clock.waits).toEqual([1000, 1500, 2250, 3000, 3000, 3000]);
  expect(statusRequests()).toBe(7);
});

it('by default: 500 ms first, ×1.5 each time, at most 10 s', async () => {
  const { jobId, fetchJob } = await startJob(11);
  const clock = new VirtualClock();
  await pollJob(jobId, fetchJob, {}, clock);
  expect(clock.waits).toEqual([500, 750, 1125, 1687.5, 2531.25, 3796.875, 5695.3125, 8542.96875, 10_000, 10_000]);
  expect(POLL_DEFAULTS).toMatchObject({ pollIntervalMs: 500, maxPollIntervalMs: 10_000, factor: 1.5 });
});

it('a deadline that falls inside a wait ends it there with JobTimeoutError carrying the last job seen', async () => {
  const { jobId, fetchJob, statusRequests } = await startJob();
  const clock = new VirtualClock();
  const error = await pollJob(jobId, fetchJob, { pollIntervalMs: 1000, timeoutMs: 3000 }, clock).catch(
    (e: unknown) => e,
  );
  // Polls at 0, 1000 and 2500 ms; the next wait (2250 ms) would end at 4750.
  expect(error).toBeInstanceOf(JobTimeoutError);
  expect(error).toMatchObject({ message: `job ${jobId} had not finished after 3000 ms`, timeoutMs: 3000 });
  expect((error as JobTimeoutError).job).toMatchObject({ id: jobId });
  expect((error as JobTimeoutError).job?.finished).toBeUndefined();
  expect(clock.now).toBe(3000);
  expect(statusRequests()).toBe(3);
});

it('gives up after 10 minutes by default: 66 polls with the default waits', async () => {
  const { jobId, fetchJob, statusRequests } = await startJob();
  const clock = new VirtualClock();
  const error = await pollJob(jobId, fetchJob, {}, clock).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(JobTimeoutError);
  expect((error as JobTimeoutError).timeoutMs).toBe(600_000);
  expect(clock.now).toBe(600_000);
  // 8 growing waits (24,629.4 ms in all), then 57 of 10 s, and the deadline inside the 58th.
  expect(statusRequests()).toBe(66);
});

it("the caller's signal, aborted between polls, ends the wait with its reason (not a timeout)", async () => {
  const { jobId, fetchJob, statusRequests } = await startJob();
  const clock = new VirtualClock();
  const controller = new AbortController();
  const reason = new Error('operator stopped');
  let seen = 0;
  const error = await pollJob(
    jobId,
    fetchJob,
    { signal: controller.signal, onProgress: () => ++seen === 2 && controller.abort(reason) },
    clock,
  ).catch((e: unknown) => e);
  expect(error).toBe(reason);
  expect(clock.waits).toEqual([500]);
  expect(statusRequests()).toBe(2);
});
