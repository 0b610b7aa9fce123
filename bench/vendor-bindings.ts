/**
 * The vendor comparison (`npm run bench`, section "vendor"): sequential `clearMetadataByKey`
 * calls over loopback through the facade, against the same call through Edge Impulse's own
 * published Node bindings (`edge-impulse-api`, a dev dependency, RawDataApi
 * .batchClearMetadataByKey over fetch) and against a bare openapi-fetch call over Node's
 * fetch, on the same server, in a process of its own (so that its CPU is not the client's). Each run gives every way BENCH_VENDOR_CALLS
 * (default 2,000) calls after 200 unmeasured ones, the ways in rotated order; the figure per
 * run is calls/s, and the ratio is the median of per-run ratios.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { RawDataApi, RawDataApiApiKeys } from 'edge-impulse-api/build/library/sdk/api/rawDataApi.js';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/edge-impulse/schema.js';
import { createEdgeImpulseClient } from '../src/index.js';
import type { BenchOptions, Row, Section } from './report.js';
import { type Summary, summarize } from './stats.js';

const GOAL = 2;
const API_KEY = 'ei_bench_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const ANSWER = JSON.stringify({ success: true });
const SERVER = `
  const http = require('node:http');
  const answer = ${JSON.stringify(ANSWER)};
  let requests = 0, connections = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
  process.stdin.on('end', () => { process.stdout.write(JSON.stringify({ requests, connections }) + '\\n'); process.exit(0); });
  process.stdin.resume();
`;
const WAYS = ['facade', 'edge-impulse-api', 'openapi-fetch'] as const;
type Way = (typeof WAYS)[number];

function ways(baseUrl: string): Record<Way, () => Promise<void>> {
  const facade = createEdgeImpulseClient({ auth: { apiKey: API_KEY }, baseUrl });
  const vendor = new RawDataApi(baseUrl);
  vendor.setApiKey(RawDataApiApiKeys.ApiKeyAuthentication, API_KEY);
  const bare = createClient<paths>({ baseUrl, headers: { 'x-api-key': API_KEY } });
  return {
    facade: async () => {
      const result = await facade.clearMetadataByKey({ projectId: 1, category: 'training', metadataKey: 'reviewer' });
      if (result.status !== 'done') throw new Error('unexpected answer');
    },
    'edge-impulse-api': async () => {
      const result = await vendor.batchClearMetadataByKey(1, { metadataKey: 'reviewer' }, { category: 'training' });
      if (!result.success) throw new Error('unexpected answer');
    },
    'openapi-fetch': async () => {
      const { data } = await bare.POST('/api/{projectId}/raw-data/batch/clear-metadata-by-key', {
        params: { path: { projectId: 1 }, query: { category: 'training' } },
        body: { metadataKey: 'reviewer' },
      });
      if (!data?.success) throw new Error('unexpected answer');
    },
  };
}

/** Calls per second, and the client's CPU time per call in ms (this process: the server is another). */
async function timeWay(call: () => Promise<void>, calls: number): Promise<{ rate: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rate: (calls * 1000) / ms, cpuMs: (used.user + used.system) / 1000 / calls };
}

const rate = (s: Summary): string =>
  `${Math.round(s.median).toLocaleString('en-US')} calls/s (${Math.round(s.min).toLocaleString('en-US')}–${Math.round(s.max).toLocaleString('en-US')})`;

async function runVendorBench(options: BenchOptions): Promise<Row[]> {
  const calls = Number(process.env.BENCH_VENDOR_CALLS ?? 2000);
  // The server: a child process answering the canned success; it reports its port, then its counts on exit.
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [portLine] = (await once(server.stdout, 'data')) as [Buffer];
  const baseUrl = `http://127.0.0.1:${portLine.toString().trim()}/v1`;
  const perRun: Record<Way, number[]> = { facade: [], 'edge-impulse-api': [], 'openapi-fetch': [] };
  const cpuPerCall: Record<Way, number[]> = { facade: [], 'edge-impulse-api': [], 'openapi-fetch': [] };
  try {
    const all = ways(baseUrl);
    for (const way of WAYS) await timeWay(all[way], 200);
    for (let run = 0; run < options.runs; run++) {
      const order = WAYS.map((_, i) => WAYS[(i + run) % WAYS.length] as Way);
      for (const way of order) {
        const timed = await timeWay(all[way], calls);
        perRun[way].push(timed.rate);
        cpuPerCall[way].push(timed.cpuMs);
      }
      options.log(
        `vendor: run ${run + 1}/${options.runs}: ${WAYS.map((w) => `${w} ${Math.round(perRun[w].at(-1) ?? 0)}/s`).join(', ')}`,
      );
    }
  } finally {
    server.stdin.end();
  }
  const [countsLine] = (await once(server.stdout, 'data')) as [Buffer];
  const { requests, connections } = JSON.parse(countsLine.toString()) as { requests: number; connections: number };
  const ratio = (way: Way): Summary => summarize(perRun.facade.map((f, i) => f / (perRun[way][i] as number)));
  const vs = ratio('edge-impulse-api');
  const section = 'vendor: sequential clearMetadataByKey, loopback';
  return [
    {
      section,
      case: 'facade (Node HTTP stack, keep-alive)',
      value: rate(summarize(perRun.facade)),
      baseline: rate(summarize(perRun['edge-impulse-api'])),
      ratio: `${vs.median.toFixed(2)}× as fast`,
      note: `goal ≥ ${GOAL}×: ${vs.median >= GOAL ? 'met' : 'MISSED'}; per-run ${vs.min.toFixed(2)}–${vs.max.toFixed(2)}×; baseline: edge-impulse-api RawDataApi.batchClearMetadataByKey (its own fetch); ${requests.toLocaleString('en-US')} requests over ${connections} TCP connections in all`,
    },
    {
      section,
      case: '  client CPU per call',
      value: `${(summarize(cpuPerCall.facade).median * 1000).toFixed(0)} µs`,
      baseline: `${(summarize(cpuPerCall['edge-impulse-api']).median * 1000).toFixed(0)} µs`,
      ratio: `${(summarize(cpuPerCall['edge-impulse-api']).median / summarize(cpuPerCall.facade).median).toFixed(2)}× less`,
      note: `user + system time of the client process per call (the server runs in another); bare openapi-fetch ${(summarize(cpuPerCall['openapi-fetch']).median * 1000).toFixed(0)} µs`,
    },
    {
      section,
      case: 'bare openapi-fetch over fetch',
      value: rate(summarize(perRun['openapi-fetch'])),
      baseline: rate(summarize(perRun['edge-impulse-api'])),
      ratio: `facade ${ratio('openapi-fetch').median.toFixed(2)}× as fast`,
      note: 'createClient<paths>().POST with the default global fetch, for reference',
    },
  ];
}

export const vendorSection: Section = {
  name: 'vendor',
  run: runVendorBench,
};
