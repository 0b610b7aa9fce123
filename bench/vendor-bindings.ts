/**
 * The vendor comparison (`npm run bench`, section "vendor"): sequential `clearMetadataByKey`
 * calls over loopback through the facade, against the same call through Edge Impulse's own
 * published Node bindings (`edge-impulse-api`, a dev dependency, RawDataApi
 * .batchClearMetadataByKey over fetch) and against a bare openapi-fetch call over Node's
 * fetch, on the same server in this process. Each run gives every way BENCH_VENDOR_CALLS
 * (default 2,000) calls after 200 unmeasured ones, the ways in rotated order; the figure per
 * run is calls/s, and the ratio is the median of per-run ratios.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RawDataApi, RawDataApiApiKeys } from 'edge-impulse-api/build/library/sdk/api/rawDataApi.js';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/edge-impulse/schema.js';
import { createEdgeImpulseClient } from '../src/index.js';
import type { BenchOptions, Row, Section } from './report.js';
import { type Summary, summarize } from './stats.js';

const GOAL = 2;
const API_KEY = 'ei_bench_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const ANSWER = JSON.stringify({ success: true });
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

async function timeWay(call: () => Promise<void>, calls: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return (calls * 1000) / (performance.now() - started);
}

const rate = (s: Summary): string =>
  `${Math.round(s.median).toLocaleString('en-US')} calls/s (${Math.round(s.min).toLocaleString('en-US')}–${Math.round(s.max).toLocaleString('en-US')})`;

async function runVendorBench(options: BenchOptions): Promise<Row[]> {
  const calls = Number(process.env.BENCH_VENDOR_CALLS ?? 2000);
  let requests = 0;
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) });
      res.end(ANSWER);
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const perRun: Record<Way, number[]> = { facade: [], 'edge-impulse-api': [], 'openapi-fetch': [] };
  try {
    const all = ways(baseUrl);
    for (const way of WAYS) await timeWay(all[way], 200);
    for (let run = 0; run < options.runs; run++) {
      const order = WAYS.map((_, i) => WAYS[(i + run) % WAYS.length] as Way);
      for (const way of order) perRun[way].push(await timeWay(all[way], calls));
      options.log(
        `vendor: run ${run + 1}/${options.runs}: ${WAYS.map((w) => `${w} ${Math.round(perRun[w].at(-1) ?? 0)}/s`).join(', ')}`,
      );
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
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
