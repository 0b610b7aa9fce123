/** Following a job that clear-metadata-by-key started, until it ends. */
import type { components } from '../../generated/edge-impulse/schema.js';
import { MetaclearError } from '../core/errors.js';
import { type PollClock, SYSTEM_CLOCK } from './poll-clock.js';

export type Job = components['schemas']['Job'];

/** The job ended and did not succeed. */
export class JobFailedError extends MetaclearError {
  override name = 'JobFailedError';
  readonly job: Job;

  constructor(job: Job) {
    super(`job ${job.id} (${job.category}) finished without success${job.finished ? ` at ${job.finished}` : ''}`);
    this.job = job;
  }
}

/** The job had not ended when the caller's time was up. */
export class JobTimeoutError extends MetaclearError {
  override name = 'JobTimeoutError';
  readonly job: Job | undefined;
  readonly timeoutMs: number;

  constructor(jobId: number, timeoutMs: number, job: Job | undefined) {
    super(`job ${jobId} had not finished after ${timeoutMs} ms`);
    this.job = job;
    this.timeoutMs = timeoutMs;
  }
}

export interface PollOptions {
  signal?: AbortSignal | undefined;
  /** Give up after this long (default: 10 minutes). */
  timeoutMs?: number | undefined;
  /** Called with the job after every status request. */
  onProgress?: ((job: Job) => void) | undefined;
  /** First wait between polls (default 500 ms); each wait is 1.5× the last. */
  pollIntervalMs?: number | undefined;
  /** Longest wait between polls (default 10 s). */
  maxPollIntervalMs?: number | undefined;
}

export const POLL_DEFAULTS = { timeoutMs: 600_000, pollIntervalMs: 500, maxPollIntervalMs: 10_000, factor: 1.5 };

/** Polls `fetchJob` with a growing interval until the job has `finished`; `clock` is for tests. */
export async function pollJob(
  jobId: number,
  fetchJob: (signal: AbortSignal) => Promise<Job>,
  options: PollOptions,
  clock: PollClock = SYSTEM_CLOCK,
): Promise<Job> {
  const timeoutMs = options.timeoutMs ?? POLL_DEFAULTS.timeoutMs;
  const deadline = clock.deadline(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let interval = options.pollIntervalMs ?? POLL_DEFAULTS.pollIntervalMs;
  const maxInterval = options.maxPollIntervalMs ?? POLL_DEFAULTS.maxPollIntervalMs;
  let last: Job | undefined;
  try {
    for (;;) {
      last = await fetchJob(signal);
      options.onProgress?.(last);
      if (last.finished !== undefined) {
        if (last.finishedSuccessful === true) return last;
        throw new JobFailedError(last);
      }
      await clock.sleep(interval, signal);
      interval = Math.min(maxInterval, interval * POLL_DEFAULTS.factor);
    }
  } catch (error) {
    if (deadline.aborted && !options.signal?.aborted) throw new JobTimeoutError(jobId, timeoutMs, last);
    throw error;
  }
}
