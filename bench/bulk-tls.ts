/**
 * The bulk benchmark over TLS with latency (`npm run bench`, section "bulk-tls"):
 * `deleteFileMetadataValuesMany` over BENCH_TLS_FILES (default 2,000) files against a local
 * HTTPS server (certificate made at run time with the openssl CLI) reached through a TCP proxy
 * that holds each chunk 10 ms in each direction (20 ms per round trip), at concurrency 8 and 32,
 * against a plain `fetch` worker pool at the same concurrency. The server answers the canned
 * Oracle success and counts requests per file (each must be answered exactly once); the proxy
 * counts the TCP connections and the server the TLS handshakes each client needed.
 *
 * Each run's client is a child process (bench/bulk-client.ts) trusting the certificate through
 * NODE_EXTRA_CA_CERTS; the server and the proxy run in this process.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeTlsCert } from '../test/helpers/tls-cert.js';
import type { BulkClient, BulkRun } from './bulk-client.js';
import { startDelayProxy } from './delay-proxy.js';
import { REPO } from './fixtures.js';
import type { BenchOptions, Row, Section } from './report.js';
import { type Summary, summarize } from './stats.js';
import { CHILD_ENV } from './subprocess.js';

const CHILD = join(import.meta.dirname, 'bulk-client.ts');
const GOAL = 3;
const ONE_WAY_DELAY_MS = 10;
const ANSWER = JSON.stringify({ errorCode: '0', type: 'file' });

interface TlsServer {
  port: number;
  requests: Map<string, number>;
  handshakes: number;
  close(): Promise<void>;
}

async function startCannedTlsServer(key: string, cert: string): Promise<TlsServer> {
  const state: TlsServer = { port: 0, requests: new Map(), handshakes: 0, close: async () => undefined };
  const server = createServer({ key, cert, keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const id = /\/files\/([^/]+)\/metadata/.exec(req.url ?? '')?.[1] ?? '?';
      state.requests.set(id, (state.requests.get(id) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) });
      res.end(ANSWER);
    });
  });
  server.on('secureConnection', () => {
    state.handshakes++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function runChild(
  client: BulkClient,
  concurrency: number,
  baseUrl: string,
  files: number,
  certPath: string,
): Promise<BulkRun> {
  const args = ['--import', 'tsx', CHILD, '--client', client, '--base-url', baseUrl];
  args.push('--files', String(files), '--warmup', String(Math.min(100, files)), '--concurrency', String(concurrency));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: REPO, env: { ...CHILD_ENV, NODE_EXTRA_CA_CERTS: certPath }, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`bulk-tls: ${client} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as BulkRun);
      },
    );
  });
}

const rate = (s: Summary): string =>
  `${Math.round(s.median).toLocaleString('en-US')} files/s (${Math.round(s.min).toLocaleString('en-US')}–${Math.round(s.max).toLocaleString('en-US')})`;

async function runBulkTlsBench(options: BenchOptions): Promise<Row[]> {
  const files = Number(process.env.BENCH_TLS_FILES ?? 2000);
  const concurrencies = (process.env.BENCH_TLS_CONCURRENCY ?? '8,32').split(',').map(Number);
  const runs = Number(process.env.BENCH_TLS_RUNS ?? Math.min(options.runs, 2));
  const tls = makeTlsCert();
  const server = await startCannedTlsServer(tls.key, tls.cert);
  const proxy = await startDelayProxy(server.port, ONE_WAY_DELAY_MS);
  const baseUrl = `https://127.0.0.1:${proxy.port}/documents/api/1.1`;
  const rows: Row[] = [];
  try {
    for (const concurrency of concurrencies) {
      const result: Record<
        'facade' | 'fetch',
        { rate: number[]; connections: number[]; handshakes: number[]; cpu: number[] }
      > = {
        facade: { rate: [], connections: [], handshakes: [], cpu: [] },
        fetch: { rate: [], connections: [], handshakes: [], cpu: [] },
      };
      for (let i = 0; i < runs; i++) {
        const order: ('facade' | 'fetch')[] = i % 2 === 0 ? ['facade', 'fetch'] : ['fetch', 'facade'];
        for (const client of order) {
          server.requests.clear();
          server.handshakes = 0;
          proxy.connections = 0;
          const run = await runChild(client, concurrency, baseUrl, files, tls.certPath);
          const answered = [...server.requests.values()];
          const warmup = Math.min(100, files);
          if (run.failed > 0 || answered.length !== files + warmup || answered.some((n) => n !== 1)) {
            throw new Error(
              `bulk-tls: ${client} c=${concurrency}: ${run.succeeded} succeeded, ${answered.length} files answered (first failure: ${run.firstError ?? 'none'})`,
            );
          }
          result[client].rate.push((files * 1000) / run.ms);
          result[client].connections.push(proxy.connections);
          result[client].handshakes.push(server.handshakes);
          result[client].cpu.push(run.cpuMs / files);
          options.log(
            `bulk-tls: c=${concurrency} run ${i + 1}/${runs} ${client}: ${Math.round((files * 1000) / run.ms)} files/s, ${proxy.connections} connections, ${server.handshakes} TLS handshakes, ${(run.cpuMs / files).toFixed(2)} ms CPU/file`,
          );
        }
      }
      const ratios = summarize(result.facade.rate.map((r, i) => r / (result.fetch.rate[i] as number)));
      const med = (xs: number[]): number => summarize(xs).median;
      const section = `bulk over TLS, 20 ms round trip: concurrency ${concurrency}`;
      rows.push(
        {
          section,
          case: `deleteFileMetadataValuesMany, ${files.toLocaleString('en-US')} files`,
          value: rate(summarize(result.facade.rate)),
          baseline: rate(summarize(result.fetch.rate)),
          ratio: `${ratios.median.toFixed(2)}× the plain loop`,
          note: `goal ≥ ${GOAL}×: ${ratios.median >= GOAL ? 'met' : 'MISSED'}; per-run ratios ${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)}; every file answered exactly once (checked)`,
        },
        {
          section,
          case: '  connections opened (TLS handshakes)',
          value: `${med(result.facade.connections)} (${med(result.facade.handshakes)})`,
          baseline: `${med(result.fetch.connections)} (${med(result.fetch.handshakes)})`,
          ratio: med(result.facade.connections) <= concurrency ? `≤ ${concurrency}: met` : `> ${concurrency}: MISSED`,
          note: 'counted by the proxy (TCP) and the server (TLS), warm-up included; the plain loop is fetch (undici), which closes the connection after a DELETE with a body',
        },
        {
          section,
          case: '  client CPU per file',
          value: `${med(result.facade.cpu).toFixed(2)} ms`,
          baseline: `${med(result.fetch.cpu).toFixed(2)} ms`,
          ratio: `${(med(result.facade.cpu) / med(result.fetch.cpu)).toFixed(2)}×`,
          note: 'user + system time of the client process / files',
        },
      );
    }
  } finally {
    await proxy.close();
    await server.close();
  }
  return rows;
}

export const bulkTlsSection: Section = {
  name: 'bulk-tls',
  run: runBulkTlsBench,
};
