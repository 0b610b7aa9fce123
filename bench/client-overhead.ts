/**
 * The client-overhead benchmark (`npm run bench`, section "client"): what one facade call costs
 * against the same request made without it.
 *
 * Two operations, each made five ways:
 * - the facade: `clearMetadataByKey` with all 19 filters besides `category` (a metadata filter of
 *   three rules, dates as a Date and as a string), and `deleteFileMetadataValues` with an applink;
 * - the baseline: a bare `openapi-fetch` client (`createClient<paths>` over the generated types)
 *   with the wire values prepared by hand in each call (JSON strings, ISO dates, comma-joined
 *   fields, auth headers given at creation), checking the answer as little as the API needs;
 * - a plain `fetch` call building the same URL, headers and body by hand;
 * - and, to attribute the difference, the bare client over the facade's retrying transport
 *   (src/core/transport.ts), then that with the facade's answer handling (`send()`: text,
 *   content checks, JSON.parse) — the facade is that plus input validation and wire conversion.
 *
 * All five are checked to send the same method, URL, headers and body before anything is timed.
 * They are timed twice with tinybench: against an in-process fetch stub answering a ready
 * Response (pure client cost), and against a minimal node:http server on loopback answering the
 * same canned JSON (not the sandbox: its cost is small and equal for all; it counts the TCP
 * connections, since undici does not keep one alive after a DELETE that has a body).
 *
 * Each of the --runs runs gives every way BENCH_CLIENT_TIME_MS (default 400 ms), in four slices
 * taken in turn and in rotated order, so that a change in the machine's load hits every way
 * alike. A run's figure per way is its mean time per call (GC included), reported as calls/s;
 * ratios are the medians of per-run ratios against the bare openapi-fetch call of the same run.
 * The median call (steadier on a loaded machine, GC mostly excluded) is given in the notes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import { Bench } from 'tinybench';
import type { paths as EdgeImpulsePaths, operations } from '../generated/edge-impulse/schema.js';
import type { paths as OraclePaths } from '../generated/oracle-documents/schema.js';
import { createConnections, DEFAULT_IDLE_TIMEOUT_MS } from '../src/core/connections.js';
import { createFetchExchange } from '../src/core/fetch-exchange.js';
import { type FetchOutcome, send } from '../src/core/http.js';
import { createNodeExchange } from '../src/core/node-exchange.js';
import { RETRY_DEFAULTS } from '../src/core/retry.js';
import { SignalFanout } from '../src/core/signal-fanout.js';
import {
  createTransport,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_REDIRECTS,
} from '../src/core/transport.js';
import { createEdgeImpulseClient, createOracleDocumentsClient } from '../src/index.js';
import type { BenchOptions, Row, Section } from './report.js';
import { median, type Summary, summarize } from './stats.js';

/** The project's goal: a facade call costs at most this many times the bare openapi-fetch call. */
const GOAL = 1.2;
/** tinybench time budget per way and run, ms (BENCH_CLIENT_TIME_MS). */
const DEFAULT_TIME_MS = 400;

const WAYS = ['facade', 'openapi-fetch', 'fetch', 'transport', 'transport+send'] as const;
type Way = (typeof WAYS)[number];
type Call = () => Promise<void>;
type Fetch = typeof fetch;

/**
 * The facade's retrying transport as a fetch for a bare client: over `fetchImpl` (the facade's
 * `fetch` option) or, when it is undefined, over Node's HTTP stack as the facade uses by default.
 */
function transportFetch(fetchImpl: Fetch | undefined): Fetch {
  const exchange = fetchImpl
    ? createFetchExchange(fetchImpl)
    : createNodeExchange(
        createConnections({
          idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
          ca: undefined,
          proxy: undefined,
          noProxy: '',
          agent: undefined,
        }),
      );
  const transport = createTransport(
    { exchange, fanout: new SignalFanout() },
    {
      retry: RETRY_DEFAULTS,
      attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
      maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES,
      maxRedirects: DEFAULT_MAX_REDIRECTS,
    },
  );
  return ((request: Request) => transport(request)) as Fetch;
}

// ---- Edge Impulse: clearMetadataByKey with every filter -------------------------------------

const EI_STUB_BASE = 'https://studio.edgeimpulse.com/v1';
const API_KEY = 'ei_bench_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const PROJECT_ID = 42;
const METADATA_KEY = 'reviewer';
const LABELS = ['idle', 'snake', 'wave', 'updown'];
const IDS = [101, 102, 103, 104, 105, 106, 107, 108];
const EXCLUDE_IDS = [104, 107];
const MIN_DATE = new Date('2024-01-01T00:00:00Z');
const MAX_DATE = '2025-01-01T00:00:00Z';
const RULES = [
  { key: 'source', op: 'eq' as const, values: ['phone', 'watch'] },
  { key: 'site', op: 'neq' as const, values: ['lab-1'] },
  { key: 'reviewer', op: 'eq' as const },
];
/** Every filter but the ones rewritten above, as given and as sent (the same values). */
const SCALARS = {
  filename: 'session',
  search: 'walk',
  minLength: 1000,
  maxLength: 60_000,
  minFrequency: 16,
  maxFrequency: 16_000,
  minLabel: 0,
  maxLabel: 10,
  minId: 100,
  maxId: 200,
  signatureValidity: 'both',
  includeDisabled: 'enabled',
  dataType: 'audio',
} as const;
const EI_ANSWER = JSON.stringify({ success: true });

type ClearQuery = operations['batchClearMetadataByKey']['parameters']['query'];

/** The wire form of the filter, prepared by hand as a developer without the facade would: no checks. */
function wireQuery(): ClearQuery {
  return {
    category: 'training',
    labels: JSON.stringify(LABELS),
    ids: JSON.stringify(IDS),
    excludeIds: JSON.stringify(EXCLUDE_IDS),
    minDate: MIN_DATE.toISOString(),
    maxDate: new Date(MAX_DATE).toISOString(),
    metadata: JSON.stringify([{ no_metadata: false }, { filters_combinator: 'and' }, ...RULES]),
    ...SCALARS,
  };
}

function queryString(query: Record<string, string | number>): string {
  return Object.entries(query)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

/** `nodeStack`: the facade and the transport ways on Node's HTTP stack (the default), the others on `fetchImpl`. */
function edgeImpulseWays(fetchImpl: Fetch, baseUrl: string, nodeStack = false): Record<Way, Call> {
  const facade = createEdgeImpulseClient({
    auth: { apiKey: API_KEY },
    baseUrl,
    ...(nodeStack ? {} : { fetch: fetchImpl }),
  });
  const headers = { 'x-api-key': API_KEY };
  const bare = createClient<EdgeImpulsePaths>({ baseUrl, headers, fetch: fetchImpl });
  const transported = createClient<EdgeImpulsePaths>({
    baseUrl,
    headers,
    fetch: transportFetch(nodeStack ? undefined : fetchImpl),
  });
  const path = '/api/{projectId}/raw-data/batch/clear-metadata-by-key';
  const answered = (success: unknown): void => {
    if (success !== true) throw new Error('the answer does not report success');
  };
  return {
    facade: async () => {
      const result = await facade.clearMetadataByKey({
        projectId: PROJECT_ID,
        category: 'training',
        metadataKey: METADATA_KEY,
        filter: {
          labels: LABELS,
          ids: IDS,
          excludeIds: EXCLUDE_IDS,
          minDate: MIN_DATE,
          maxDate: MAX_DATE,
          metadata: { noMetadata: false, combinator: 'and', rules: RULES },
          ...SCALARS,
        },
      });
      if (result.status !== 'done') throw new Error(`unexpected ${result.status}`);
    },
    'openapi-fetch': async () => {
      const { data } = await bare.POST(path, {
        params: { path: { projectId: PROJECT_ID }, query: wireQuery() },
        body: { metadataKey: METADATA_KEY },
      });
      answered(data?.success);
    },
    fetch: async () => {
      const response = await fetchImpl(
        `${baseUrl}/api/${PROJECT_ID}/raw-data/batch/clear-metadata-by-key?${queryString(wireQuery())}`,
        {
          method: 'POST',
          headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ metadataKey: METADATA_KEY }),
        },
      );
      const data = (await response.json()) as { success?: unknown };
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answered(data.success);
    },
    transport: async () => {
      const { data } = await transported.POST(path, {
        params: { path: { projectId: PROJECT_ID }, query: wireQuery() },
        body: { metadataKey: METADATA_KEY },
      });
      answered(data?.success);
    },
    'transport+send': async () => {
      const { data } = await send<{ success?: unknown }>(
        'batchClearMetadataByKey',
        () =>
          transported.POST(path, {
            params: { path: { projectId: PROJECT_ID }, query: wireQuery() },
            body: { metadataKey: METADATA_KEY },
            parseAs: 'text',
          }) as Promise<FetchOutcome>,
        { secrets: [API_KEY] },
      );
      answered(data.success);
    },
  };
}

// ---- Oracle: deleteFileMetadataValues through an applink -------------------------------------

const ORACLE_STUB_BASE = 'https://tenant.example.com/documents/api/1.1';
const FILE_ID = 'D3C1C1F319CFE6B102095C5DT0000000000100000001';
const COLLECTION = 'CollectionA';
const FIELDS = ['A1', 'A2', 'A3'];
const USERNAME = 'operator';
const PASSWORD = 'bench-password-5d0c';
const APPLINK = { id: 'LF5E3B6A1F0C8E0E3A1D4A8C6B2B9B1E2C3D4E5F6A7B', accessToken: 'applink-token-7c1f9e2d4b6a' };
const ORACLE_ANSWER = JSON.stringify({ idList: FILE_ID, type: 'file', errorCode: '0' });

/** `nodeStack`: the facade and the transport ways on Node's HTTP stack (the default), the others on `fetchImpl`. */
function oracleWays(fetchImpl: Fetch, baseUrl: string, nodeStack = false): Record<Way, Call> {
  const facade = createOracleDocumentsClient({
    baseUrl,
    auth: { username: USERNAME, password: PASSWORD },
    ...(nodeStack ? {} : { fetch: fetchImpl }),
  });
  const authorization = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`, 'utf8').toString('base64')}`;
  const headers = { Authorization: authorization };
  const bare = createClient<OraclePaths>({ baseUrl, headers, fetch: fetchImpl });
  const transported = createClient<OraclePaths>({
    baseUrl,
    headers,
    fetch: transportFetch(nodeStack ? undefined : fetchImpl),
  });
  const answered = (errorCode: unknown): void => {
    if (errorCode !== '0') throw new Error(`errorCode ${String(errorCode)}`);
  };
  const init = () =>
    ({
      params: {
        path: { fileId: FILE_ID },
        header: { appLinkID: APPLINK.id, accessToken: APPLINK.accessToken },
      },
      body: { collection: COLLECTION, fields: FIELDS.join(',') },
    }) as const;
  return {
    facade: async () => {
      const response = await facade.deleteFileMetadataValues({
        fileId: FILE_ID,
        collection: COLLECTION,
        fields: FIELDS,
        appLink: APPLINK,
      });
      answered(response.errorCode);
    },
    'openapi-fetch': async () => {
      const { data } = await bare.DELETE('/files/{fileId}/metadata', init());
      answered(data?.errorCode);
    },
    fetch: async () => {
      const response = await fetchImpl(`${baseUrl}/files/${encodeURIComponent(FILE_ID)}/metadata`, {
        method: 'DELETE',
        headers: {
          authorization,
          'content-type': 'application/json',
          appLinkID: APPLINK.id,
          accessToken: APPLINK.accessToken,
        },
        body: JSON.stringify({ collection: COLLECTION, fields: FIELDS.join(',') }),
      });
      const data = (await response.json()) as { errorCode?: unknown };
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answered(data.errorCode);
    },
    transport: async () => {
      const { data } = await transported.DELETE('/files/{fileId}/metadata', init());
      answered(data?.errorCode);
    },
    'transport+send': async () => {
      const { data } = await send<{ errorCode?: unknown }>(
        'deleteFileMetadataValues',
        () => transported.DELETE('/files/{fileId}/metadata', { ...init(), parseAs: 'text' }) as Promise<FetchOutcome>,
        { secrets: [authorization, APPLINK.accessToken] },
      );
      answered(data.errorCode);
    },
  };
}

// ---- what the ways are run against -------------------------------------------------------------

interface Operation {
  label: string;
  /** Where the request goes when there is no server (the stub never connects). */
  stubBase: string;
  /** The base path under the loopback server. */
  basePath: string;
  answer: string;
  ways: (fetchImpl: Fetch, baseUrl: string, nodeStack?: boolean) => Record<Way, Call>;
}

const OPERATIONS: readonly Operation[] = [
  {
    label: 'clearMetadataByKey, 19 filters',
    stubBase: EI_STUB_BASE,
    basePath: '/v1',
    answer: EI_ANSWER,
    ways: edgeImpulseWays,
  },
  {
    label: 'deleteFileMetadataValues + applink',
    stubBase: ORACLE_STUB_BASE,
    basePath: '/documents/api/1.1',
    answer: ORACLE_ANSWER,
    ways: oracleWays,
  },
];

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The in-process fetch: a ready Response, the request left unread. */
function stubFetch(answer: string): Fetch {
  return (async () => new Response(answer, { headers: JSON_HEADERS })) as Fetch;
}

interface SentRequest {
  method: string;
  url: string;
  headers: string;
  body: string;
}

/** Each way's request, as a stub that reads it would see it. */
async function sentRequests(operation: Operation): Promise<Record<Way, SentRequest>> {
  let last: SentRequest | undefined;
  const capture = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const headers: string[] = [];
    request.headers.forEach((value, name) => {
      headers.push(`${name}: ${value}`);
    });
    last = { method: request.method, url: request.url, headers: headers.join('\n'), body: await request.text() };
    return new Response(operation.answer, { headers: JSON_HEADERS });
  }) as Fetch;
  const ways = operation.ways(capture, operation.stubBase);
  const sent = {} as Record<Way, SentRequest>;
  for (const way of WAYS) {
    last = undefined;
    await ways[way]();
    if (!last) throw new Error(`client benchmark: ${way} sent no request`);
    sent[way] = last;
  }
  return sent;
}

/** '' when every way sends what the bare openapi-fetch call sends, else what differs. */
function compareRequests(sent: Record<Way, SentRequest>): string {
  const reference = sent['openapi-fetch'];
  const differing: string[] = [];
  for (const way of WAYS) {
    const parts = (['method', 'url', 'headers', 'body'] as const).filter((k) => sent[way][k] !== reference[k]);
    if (parts.length > 0) differing.push(`${way}: ${parts.join(', ')}`);
  }
  return differing.join('; ');
}

interface CannedServer {
  url: string;
  /** Requests answered and TCP connections accepted since the last reset. */
  counts: { requests: number; connections: number };
  close: () => Promise<void>;
}

/** A node:http server answering every request with the canned JSON of its API, body read and dropped. */
async function startCannedServer(): Promise<CannedServer> {
  const answers = OPERATIONS.map((o) => ({ prefix: `${o.basePath}/`, body: Buffer.from(o.answer) }));
  const counts = { requests: 0, connections: 0 };
  const server = createServer((req, res) => {
    counts.requests++;
    const body = answers.find((a) => req.url?.startsWith(a.prefix))?.body;
    req.resume();
    req.on('end', () => {
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  server.on('connection', () => {
    counts.connections++;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---- timing ------------------------------------------------------------------------------------

function timeBudget(): number {
  const text = process.env.BENCH_CLIENT_TIME_MS;
  if (!text) return DEFAULT_TIME_MS;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 10) throw new Error(`BENCH_CLIENT_TIME_MS=${text}: expected an integer ≥ 10`);
  return ms;
}

/** Per way, one figure per run: the mean and the median milliseconds per call. */
interface Timing {
  mean: number[];
  p50: number[];
}

/** Slices per run: the ways take turns in short slices, so that a change in the machine's load hits them all. */
const SLICES = 4;

/**
 * Times every way `runs` times with tinybench. A run is SLICES benches of timeMs / SLICES per way,
 * each in a rotated order; the run's figures are its mean (total time / calls, GC included) and
 * median per call over all its slices.
 */
async function timeWays(ways: Record<Way, Call>, runs: number, timeMs: number): Promise<Record<Way, Timing>> {
  const warmup = new Bench({ time: 0, iterations: 1, warmupTime: 150, warmupIterations: 64, throws: true });
  for (const way of WAYS) warmup.add(way, ways[way]);
  await warmup.run();

  const timing = Object.fromEntries(WAYS.map((w) => [w, { mean: [], p50: [] }])) as unknown as Record<Way, Timing>;
  for (let r = 0; r < runs; r++) {
    const total = new Map<Way, number>();
    const samples = new Map<Way, number[]>();
    for (let slice = 0; slice < SLICES; slice++) {
      const shift = (r * SLICES + slice) % WAYS.length;
      const order = [...WAYS.slice(shift), ...WAYS.slice(0, shift)];
      const bench = new Bench({
        time: timeMs / SLICES,
        iterations: 8,
        warmup: false,
        retainSamples: true,
        throws: true,
      });
      for (const way of order) bench.add(way, ways[way]);
      await bench.run();
      for (const task of bench.tasks) {
        const result = task.result;
        if (result?.state !== 'completed' || !result.latency.samples) {
          throw new Error(`client benchmark: ${task.name} did not complete`);
        }
        const way = task.name as Way;
        total.set(way, (total.get(way) ?? 0) + result.totalTime);
        samples.set(way, [...(samples.get(way) ?? []), ...result.latency.samples]);
      }
    }
    for (const way of WAYS) {
      const list = samples.get(way) ?? [];
      timing[way].mean.push((total.get(way) ?? 0) / list.length);
      timing[way].p50.push(median(list));
    }
  }
  return timing;
}

function perSecond(periodMs: number): number {
  return 1000 / periodMs;
}

function rate(s: Summary): string {
  const f = (n: number): string => Math.round(n).toLocaleString('en-US');
  return s.n === 1 ? `${f(s.median)} calls/s` : `${f(s.median)} calls/s (${f(s.min)}–${f(s.max)})`;
}

function micros(ms: number): string {
  return `${(ms * 1000).toFixed(ms * 1000 >= 100 ? 0 : 1)} µs`;
}

function signedMicros(ms: number): string {
  return ms < 0 ? `−${micros(-ms)}` : `+${micros(ms)}`;
}

const NOTES: Record<Way, string> = {
  facade: 'the facade call: validation, wire conversion, send(), the retrying transport',
  'openapi-fetch': 'createClient<paths> from openapi-fetch, the wire values prepared by hand in each call',
  fetch: 'fetch() with the URL, headers and body built by hand, response.json()',
  transport: "the baseline's call over the facade's retrying transport (src/core/transport.ts)",
  'transport+send': "…and the facade's answer handling: parseAs text, send() (checks, JSON.parse)",
};

const CASES: Record<Way, string> = {
  facade: 'facade',
  'openapi-fetch': 'openapi-fetch (bare)',
  fetch: 'plain fetch',
  transport: '  openapi-fetch + retrying transport',
  'transport+send': '  … + send()',
};

/** The layer each attribution row adds to, for "+N µs over …". */
const PREVIOUS: Partial<Record<Way, Way>> = {
  transport: 'openapi-fetch',
  'transport+send': 'transport',
  facade: 'transport+send',
};

/** The median over runs of each run's figure against the baseline's in the same run. */
function paired(values: readonly number[], baseline: readonly number[]): Summary {
  return summarize(values.map((v, i) => v / (baseline[i] as number)));
}

function rows(section: string, timing: Record<Way, Timing>, mismatch: string, baselineNote = ''): Row[] {
  const baseline = timing['openapi-fetch'];
  const mean = (way: Way): number => summarize(timing[way].mean).median;
  /** The median over runs of (way − other) within each run. */
  const added = (way: Way, other: Way, key: keyof Timing): number =>
    median(timing[way][key].map((v, i) => v - (timing[other][key][i] as number)));
  const order: Way[] = ['facade', 'openapi-fetch', 'fetch', 'transport', 'transport+send'];
  return order.map((way) => {
    const ops = summarize(timing[way].mean.map(perSecond));
    const isBaseline = way === 'openapi-fetch';
    const cost = paired(timing[way].mean, baseline.mean);
    const costP50 = paired(timing[way].p50, baseline.p50);
    const previous = PREVIOUS[way];
    const delta = previous
      ? `; ${signedMicros(added(way, previous, 'mean'))} (median call ${signedMicros(added(way, previous, 'p50'))}) over ${CASES[previous].trim()}`
      : '';
    const goal =
      way === 'facade'
        ? `goal ≤ ${GOAL}×: ${cost.median <= GOAL ? 'met' : 'MISSED'} (per run ${cost.min.toFixed(2)}–${cost.max.toFixed(2)}×); `
        : '';
    const p50 = `median call ${micros(summarize(timing[way].p50).median)}${isBaseline ? '' : ` (${costP50.median.toFixed(2)}×)`}`;
    const checked =
      way === 'openapi-fetch'
        ? `; ${mismatch ? `REQUESTS DIFFER: ${mismatch}` : 'all five send the same request (checked)'}${baselineNote}`
        : '';
    return {
      section,
      case: CASES[way],
      value: rate(ops),
      baseline: isBaseline ? '—' : rate(summarize(baseline.mean.map(perSecond))),
      ratio: isBaseline ? 'baseline' : `${cost.median.toFixed(2)}× the cost`,
      note: `${goal}mean ${micros(mean(way))} per call, ${p50}${delta}; ${NOTES[way]}${checked}`,
    };
  });
}

function summaryLine(timing: Record<Way, Timing>): string {
  return WAYS.map((way) => `${way} ${micros(summarize(timing[way].mean).median)}`).join(', ');
}

async function runClientBench(options: BenchOptions): Promise<Row[]> {
  const timeMs = timeBudget();
  const result: Row[] = [];
  const mismatches = new Map<Operation, string>();
  for (const operation of OPERATIONS) mismatches.set(operation, compareRequests(await sentRequests(operation)));

  for (const operation of OPERATIONS) {
    options.log(
      `client: ${operation.label}, in-process stub: ${options.runs} runs × ${WAYS.length} ways × ${timeMs} ms`,
    );
    const timing = await timeWays(
      operation.ways(stubFetch(operation.answer), operation.stubBase),
      options.runs,
      timeMs,
    );
    options.log(`client: ${summaryLine(timing)}`);
    result.push(...rows(`client: stub, ${operation.label}`, timing, mismatches.get(operation) ?? ''));
  }

  const server = await startCannedServer();
  try {
    for (const operation of OPERATIONS) {
      options.log(
        `client: ${operation.label}, loopback server: ${options.runs} runs × ${WAYS.length} ways × ${timeMs} ms`,
      );
      const ways = operation.ways(globalThis.fetch, `${server.url}${operation.basePath}`, true);
      server.counts.requests = 0;
      server.counts.connections = 0;
      const timing = await timeWays(ways, options.runs, timeMs);
      options.log(`client: ${summaryLine(timing)}`);
      const { requests, connections } = server.counts;
      const reuse =
        connections * 2 > requests
          ? `; ${requests.toLocaleString('en-US')} requests over ${connections.toLocaleString('en-US')} TCP connections: undici closes the connection after a DELETE that has a body, so nearly every call connects anew`
          : `; ${requests.toLocaleString('en-US')} requests over ${connections.toLocaleString('en-US')} TCP connections (kept alive)`;
      result.push(...rows(`client: loopback, ${operation.label}`, timing, mismatches.get(operation) ?? '', reuse));
    }
  } finally {
    await server.close();
  }
  return result;
}

export const clientOverheadSection: Section = {
  name: 'client',
  run: runClientBench,
};
