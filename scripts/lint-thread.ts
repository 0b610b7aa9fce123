/**
 * Starts the example rules' lint in a worker thread (lint-worker.ts) when the specs are large
 * enough for it to pay (see pipeline.ts). Loads nothing but Node's worker_threads, so that
 * generate.ts can start it before it loads the tools.
 */
import { Worker } from 'node:worker_threads';
import { PipelineError } from './errors.js';
import { specBytes } from './fingerprint.js';
import type { LintResult } from './lint-worker.js';

/**
 * The size of spec text from which the example rules run in a worker: the synthetic
 * 550-operation spec (1.15 MB) does, the project's two specs (about 0.14 MB) do not. Measured
 * in `npm run bench` (pipeline section), see BENCHMARKS.md.
 */
export const PARALLEL_FROM_BYTES = 512 * 2 ** 10;

/** Whether the example rules run in a worker: by the specs' size, or as METACLEAR_PIPELINE_THREADS (1 or 2) says. */
function useWorker(rootDir: string): boolean {
  const threads = process.env.METACLEAR_PIPELINE_THREADS;
  if (threads === '1' || threads === '2') return threads === '2';
  if (threads !== undefined && threads !== '') {
    throw new PipelineError(`METACLEAR_PIPELINE_THREADS=${threads} is not a thread count`, {
      reason: "expected 1 (lint in this thread), 2 (example rules in a worker), or unset (by the specs' size)",
    });
  }
  return specBytes(rootDir) >= PARALLEL_FROM_BYTES;
}

/**
 * The worker's results, in API order, when the specs call for a worker (or
 * METACLEAR_PIPELINE_THREADS=2); undefined when every rule is to run in the caller's thread.
 * The promise never rejects unhandled: the caller awaits it once its own part is done.
 */
export function startExampleLint(rootDir: string): Promise<LintResult[]> | undefined {
  if (!useWorker(rootDir)) return undefined;
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
