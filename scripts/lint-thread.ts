/**
 * Starts the example rules' lint in a worker thread (lint-worker.ts) when
 * METACLEAR_PIPELINE_THREADS=2 asks for it (see pipeline.ts). Loads nothing but Node's
 * worker_threads, so that generate.ts can start it before it loads the tools.
 *
 * One thread is the default: on the project's CI machine kind (2 vCPUs, shared), two threads
 * took the same time as one at 550 operations (1.98 s against 1.98 s, medians of `npm run
 * bench`) for 1.4 times the peak memory, as the two halves slowed each other down (the example
 * lint alone: 0.87 s in a worker, 1.4 s beside the types step). Where a second core is free,
 * `METACLEAR_PIPELINE_THREADS=2` may pay; the output is the same either way (tested).
 */
import { Worker } from 'node:worker_threads';
import { PipelineError } from './errors.js';
import type { LintResult } from './lint-worker.js';

/** Whether the example rules run in a worker: as METACLEAR_PIPELINE_THREADS (1, the default, or 2) says. */
function useWorker(): boolean {
  const threads = process.env.METACLEAR_PIPELINE_THREADS;
  if (threads === undefined || threads === '' || threads === '1') return false;
  if (threads === '2') return true;
  throw new PipelineError(`METACLEAR_PIPELINE_THREADS=${threads} is not a thread count`, {
    reason: 'expected 1 (every lint rule in the main thread, the default) or 2 (the example rules in a worker)',
  });
}

/**
 * The worker's results, in API order, with METACLEAR_PIPELINE_THREADS=2; undefined when every
 * rule is to run in the caller's thread.
 * The promise never rejects unhandled: the caller awaits it once its own part is done.
 */
export function startExampleLint(rootDir: string): Promise<LintResult[]> | undefined {
  if (!useWorker()) return undefined;
  const linted = lintInWorker(rootDir);
  linted.catch(() => undefined);
  return linted;
}

/** Starts the lint of every API in a worker; resolves to its results, in API order. */
function lintInWorker(rootDir: string): Promise<LintResult[]> {
  const worker = new Worker(new URL('./lint-worker.js', import.meta.url), { workerData: { rootDir } });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: { results?: LintResult[]; error?: string }) => {
      settled = true;
      if (message.results) resolve(message.results);
      else reject(new PipelineError(message.error ?? 'lint: the worker gave no result'));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new PipelineError(`lint: the worker ended (exit code ${code}) before its result`));
    });
  });
}
