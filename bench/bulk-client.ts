/**
 * Child process of the bulk benchmark: the client side of one run, alone in its process so that
 * its memory figures hold nothing but the client (the sandbox runs in the parent, bench/bulk.ts).
 * Deletes the values of A1 and A2 of CollectionA on `--warmup` files (not measured: JIT, and the
 * connection pool), then on `--files` files, `--concurrency` at a time, through the facade
 * (`deleteFileMetadataValuesMany`), through a plain `fetch` loop doing the same DELETE requests, or
 * through a bare openapi-fetch client in that loop (`--client openapi-fetch`), and prints one JSON
 * `BulkRun` on stdout.
 *
 * usage: node --import tsx bench/bulk-client.ts --client facade|stream|fetch|openapi-fetch --base-url <oracle base URL>
 *          --files <n> --warmup <n> --concurrency <n>
 */

import { subscribe } from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/oracle-documents/schema.js';
import { createOracleDocumentsClient } from '../src/index.js';

/**
 * facade (the array API), stream (deleteFileMetadataValuesStream, results tallied as they come)
 * and fetch are always run; openapi-fetch (a bare generated-client loop) on request.
 */
export const BULK_CLIENTS = ['facade', 'fetch', 'openapi-fetch', 'stream'] as const;
export type BulkClient = (typeof BULK_CLIENTS)[number];

/** The seeded files: their IDs, their owner and the collection whose fields are reset. */
export const BULK_OWNER = 'operator';
export const BULK_PASSWORD = 'pw';
export const BULK_COLLECTION = 'CollectionA';
export const BULK_FIELDS = ['A1', 'A2'];
export const fileIdOf = (kind: 'warmup' | 'measured', i: number): string =>
  `${kind === 'warmup' ? 'WARM' : 'FILE'}-${String(i).padStart(6, '0')}`;

export interface BulkRun {
  /** Wall clock of the measured files, from the first request to the last result. */
  ms: number;
  succeeded: number;
  failed: number;
  /** The first failure's message, if any. */
  firstError?: string;
  /** Per-request latency, ms: fetch called → response (plain loop), item taken → result (facade). */
  p50: number;
  p99: number;
  /** Highest RSS seen during the measured files (sampled every 50 ms, and at the end), MB. */
  peakRssMB: number;
  /** Highest V8 used heap seen during the measured files (same sampling), MB. */
  peakHeapMB: number;
  /** TCP connections opened during the measured files (plain TCP only; see main()). */
  connections: number;
  /** CPU time (user + system) of the client process during the measured files, ms: all its threads. */
  cpuMs: number;
  /** MaxListenersExceededWarning lines the client process wrote to stderr (counted by the parent). */
  listenerWarnings?: number;
  /**
   * With `node --expose-gc`: the used heap after a full collection once the last result is known
   * (while the runner still holds what it keeps), less the same figure before the measured files, MB.
   */
  retainedMB?: number;
  /** RSS and used heap just before the measured files, MB. */
  startRssMB: number;
  startHeapMB: number;
}

const MB = 2 ** 20;

/** Latencies recorded by the fetch wrapper, in a preallocated array so that recording allocates nothing. */
class Latencies {
  readonly #values: Float64Array;
  #count = 0;
  constructor(capacity: number) {
    this.#values = new Float64Array(capacity);
  }
  add(ms: number): void {
    if (this.#count < this.#values.length) this.#values[this.#count++] = ms;
  }
  reset(): void {
    this.#count = 0;
  }
  percentile(p: number): number {
    const sorted = this.#values.slice(0, this.#count).sort();
    if (sorted.length === 0) return Number.NaN;
    const rank = (p / 100) * (sorted.length - 1);
    const low = sorted[Math.floor(rank)] as number;
    const high = sorted[Math.ceil(rank)] as number;
    return low + (high - low) * (rank - Math.floor(rank));
  }
}

/**
 * Samples RSS and used heap every 50 ms until stopped; the highest values seen. (Reading the RSS
 * costs ~0.2 ms: every 10 ms it took 2 % of the client's CPU.)
 */
function watchMemory(): { stop: () => { rss: number; heap: number } } {
  let rss = process.memoryUsage.rss();
  let heap = getHeapStatistics().used_heap_size;
  const sample = (): void => {
    rss = Math.max(rss, process.memoryUsage.rss());
    heap = Math.max(heap, getHeapStatistics().used_heap_size);
  };
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { rss, heap };
    },
  };
}

interface Tally {
  succeeded: number;
  failed: number;
  firstError?: string;
}

/**
 * A run over `ids`; `atEnd` is called once the last result is known, while the runner still holds
 * whatever it keeps (the facade's array), so that the heap it retains can be measured.
 */
type Runner = (ids: readonly string[], concurrency: number, atEnd?: () => void) => Promise<Tally>;

/**
 * The facade as a user runs it: on its own transport (Node's HTTP stack) and without
 * middleware, so no fetch wrapper; latency is taken per item, from the moment a worker takes
 * it from the input (the runner pulls an item only when a call slot is free) to its result.
 */
function facadeRunner(baseUrl: string, _timedFetch: typeof fetch, latencies: Latencies): Runner {
  const client = createOracleDocumentsClient({ baseUrl, auth: { username: BULK_OWNER, password: BULK_PASSWORD } });
  return async (ids, concurrency, atEnd) => {
    const taken = new Float64Array(ids.length);
    function* items(): Generator<{ fileId: string; collection: string; fields: string[] }> {
      for (let i = 0; i < ids.length; i++) {
        taken[i] = performance.now();
        yield { fileId: ids[i] as string, collection: BULK_COLLECTION, fields: BULK_FIELDS };
      }
    }
    const results = await client.deleteFileMetadataValuesMany(items(), {
      concurrency,
      onResult: (_result, index) => latencies.add(performance.now() - (taken[index] as number)),
    });
    atEnd?.();
    const tally: Tally = { succeeded: 0, failed: 0 };
    for (const result of results) {
      if (result.ok) tally.succeeded++;
      else {
        tally.failed++;
        tally.firstError ??= `${result.fileId}: ${result.error.message}`;
      }
    }
    return tally;
  };
}

/**
 * The streaming runner as the CLI uses it: results tallied as they are yielded, none kept; latency
 * taken as for the facade.
 */
function streamRunner(baseUrl: string, _timedFetch: typeof fetch, latencies: Latencies): Runner {
  const client = createOracleDocumentsClient({ baseUrl, auth: { username: BULK_OWNER, password: BULK_PASSWORD } });
  return async (ids, concurrency, atEnd) => {
    const taken = new Float64Array(ids.length);
    function* items(): Generator<{ fileId: string; collection: string; fields: string[] }> {
      for (let i = 0; i < ids.length; i++) {
        taken[i] = performance.now();
        yield { fileId: ids[i] as string, collection: BULK_COLLECTION, fields: BULK_FIELDS };
      }
    }
    const tally: Tally = { succeeded: 0, failed: 0 };
    for await (const result of client.deleteFileMetadataValuesStream(items(), { concurrency })) {
      latencies.add(performance.now() - (taken[result.index] as number));
      if (result.ok) tally.succeeded++;
      else {
        tally.failed++;
        tally.firstError ??= `${result.fileId}: ${result.error.message}`;
      }
    }
    atEnd?.();
    return tally;
  };
}

const AUTHORIZATION = `Basic ${Buffer.from(`${BULK_OWNER}:${BULK_PASSWORD}`, 'utf8').toString('base64')}`;

/** `concurrency` async loops taking the next file from a shared index, each deleting with `one`. */
function poolRunner(one: (fileId: string) => Promise<void>): Runner {
  return async (ids, concurrency) => {
    const tally: Tally = { succeeded: 0, failed: 0 };
    let next = 0;
    const loop = async (): Promise<void> => {
      while (next < ids.length) {
        const fileId = ids[next++] as string;
        try {
          await one(fileId);
          tally.succeeded++;
        } catch (error) {
          tally.failed++;
          tally.firstError ??= `${fileId}: ${(error as Error).message}`;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return tally;
  };
}

/** The baseline: the DELETE request built by hand. */
function fetchRunner(baseUrl: string, timedFetch: typeof fetch): Runner {
  return poolRunner(async (fileId) => {
    const response = await timedFetch(`${baseUrl}/files/${encodeURIComponent(fileId)}/metadata`, {
      method: 'DELETE',
      headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' },
      body: JSON.stringify({ collection: BULK_COLLECTION, fields: BULK_FIELDS.join(',') }),
    });
    const body = (await response.json()) as { errorCode?: unknown };
    if (!response.ok || body.errorCode !== '0') {
      throw new Error(`HTTP ${response.status}, errorCode ${String(body.errorCode)}`);
    }
  });
}

/** The generated client alone, in the same loop: what openapi-fetch costs over the plain loop. */
function openapiFetchRunner(baseUrl: string, timedFetch: typeof fetch): Runner {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: AUTHORIZATION }, fetch: timedFetch });
  return poolRunner(async (fileId) => {
    const { data, response } = await client.DELETE('/files/{fileId}/metadata', {
      params: { path: { fileId } },
      body: { collection: BULK_COLLECTION, fields: BULK_FIELDS.join(',') },
    });
    if (data?.errorCode !== '0') throw new Error(`HTTP ${response.status}, errorCode ${String(data?.errorCode)}`);
  });
}

const RUNNERS: Record<BulkClient, (baseUrl: string, timedFetch: typeof fetch, latencies: Latencies) => Runner> = {
  facade: facadeRunner,
  fetch: fetchRunner,
  'openapi-fetch': openapiFetchRunner,
  stream: streamRunner,
};

async function main(): Promise<BulkRun> {
  const { values } = parseArgs({
    options: {
      client: { type: 'string' },
      'base-url': { type: 'string' },
      files: { type: 'string' },
      warmup: { type: 'string', default: '0' },
      concurrency: { type: 'string' },
    },
  });
  const client = values.client as BulkClient;
  const baseUrl = values['base-url'];
  const files = Number(values.files);
  const warmup = Number(values.warmup);
  const concurrency = Number(values.concurrency);
  if (!BULK_CLIENTS.includes(client) || !baseUrl || !(files > 0) || !(warmup >= 0) || !(concurrency > 0)) {
    throw new Error(
      'usage: bulk-client.ts --client facade|stream|fetch|openapi-fetch --base-url <url> --files <n> --warmup <n> --concurrency <n>',
    );
  }

  let connections = 0;
  // Every plain TCP connection either stack opens (fetch's undici and node:http both call
  // net.connect); TLS connections are counted by the server they reach (bench/bulk-tls.ts).
  subscribe('net.client.socket', () => {
    connections++;
  });
  const latencies = new Latencies(files + warmup);
  const timedFetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const started = performance.now();
    const response = await fetch(input, init);
    latencies.add(performance.now() - started);
    return response;
  }) as typeof fetch;
  const run = RUNNERS[client](baseUrl, timedFetch, latencies);

  if (warmup > 0) {
    await run(
      Array.from({ length: warmup }, (_, i) => fileIdOf('warmup', i)),
      concurrency,
    );
  }
  const ids = Array.from({ length: files }, (_, i) => fileIdOf('measured', i));
  latencies.reset();
  connections = 0;
  const startRss = process.memoryUsage.rss();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const baseHeap = getHeapStatistics().used_heap_size;
  let endHeap: number | undefined;
  const atEnd = gc
    ? () => {
        gc();
        gc();
        endHeap = getHeapStatistics().used_heap_size;
      }
    : undefined;
  const startHeap = getHeapStatistics().used_heap_size;
  const memory = watchMemory();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const tally = await run(ids, concurrency, atEnd);
  const ms = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpu);
  const peak = memory.stop();
  return {
    ms,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    connections,
    succeeded: tally.succeeded,
    failed: tally.failed,
    ...(tally.firstError === undefined ? {} : { firstError: tally.firstError }),
    p50: latencies.percentile(50),
    p99: latencies.percentile(99),
    peakRssMB: peak.rss / MB,
    peakHeapMB: peak.heap / MB,
    startRssMB: startRss / MB,
    startHeapMB: startHeap / MB,
    ...(endHeap === undefined ? {} : { retainedMB: (endHeap - baseHeap) / MB }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (run) => process.stdout.write(`${JSON.stringify(run)}\n`),
    (error: unknown) => {
      process.stderr.write(`bulk-client: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
