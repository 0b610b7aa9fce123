/**
 * The bulk benchmark (`npm run bench`, section "bulk"): `deleteFileMetadataValuesMany` over
 * 10,000 files against the sandbox on loopback, at concurrency 1, 8 and 32, against a plain
 * `fetch` loop at the same concurrency (N async loops sharing one index) doing the same DELETE
 * requests. Per concurrency: files per second, the client's CPU time per file, p50 and p99
 * per-request latency, peak RSS and peak used heap of the client; and, as notes, the TCP
 * connections opened and any MaxListenersExceededWarning the client printed.
 *
 * The sandbox (with its validation worker) runs in this process; every run's client runs in a
 * child of its own (bench/bulk-client.ts), so that its memory and CPU time are the client's alone
 * and no run inherits the garbage of another. Before every run the sandbox is reset and re-seeded,
 * so every run resets values that are there; after it, the sandbox's state and request log are
 * checked (every file cleared, one 200 per file, no retries). The clients alternate their order.
 * On this 2-core machine the sandbox and the client share the CPUs: the client's CPU time per file
 * is what decides the throughput ratio, and it is the steadier figure when the machine is loaded.
 *
 * Sizes: BENCH_BULK_FILES (default 10000), BENCH_BULK_CONCURRENCY (default 1,8,32) and
 * BENCH_BULK_RUNS (default: --runs, at most 2, to keep a full `npm run bench` near 8 minutes).
 * BENCH_BULK_OPENAPI_FETCH=1 also runs a bare openapi-fetch client in the plain loop (the
 * generated client's own share of the gap; off by default, it adds half again to the time).
 */
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { BULK_COLLECTION, BULK_FIELDS, BULK_OWNER, type BulkClient, type BulkRun, fileIdOf } from './bulk-client.js';
import { REPO } from './fixtures.js';
import { type BenchOptions, factor, formatSummary, type Row, type Section } from './report.js';
import { type Summary, summarize } from './stats.js';
import { timeCommand } from './subprocess.js';

const CHILD = join(import.meta.dirname, 'bulk-client.ts');
const DEFAULT_FILES = 10_000;
const DEFAULT_CONCURRENCY = [1, 8, 32];
/** Default repetitions: fewer than the other sections' 5, since each run of the three concurrencies over 10,000 files takes ~1 min or more. */
const DEFAULT_MAX_RUNS = 2;
const GOAL = 2;
/** Client CPU time per file the facade should stay under, ms. */
const CPU_GOAL_MS = 0.3;

function positiveIntegers(name: string, text: string): number[] {
  const numbers = text.split(',').map((s) => Number(s.trim()));
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${name}=${text}: expected positive integers separated by commas`);
  }
  return numbers;
}

function one(name: string, fallback: number): number {
  const text = process.env[name];
  if (!text) return fallback;
  const [n, ...rest] = positiveIntegers(name, text);
  if (n === undefined || rest.length > 0) throw new Error(`${name}=${text}: expected one positive integer`);
  return n;
}

export interface BulkConfig {
  files: number;
  /** Files each child runs first, unmeasured: JIT warm-up and the connection pool. */
  warmup: number;
  concurrencies: number[];
  runs: number;
  /** The clients run: the facade and the plain loop, and the bare openapi-fetch loop if asked for. */
  clients: readonly BulkClient[];
}

function config(options: BenchOptions): BulkConfig {
  const files = one('BENCH_BULK_FILES', DEFAULT_FILES);
  const text = process.env.BENCH_BULK_CONCURRENCY;
  const concurrencies = text
    ? [...new Set(positiveIntegers('BENCH_BULK_CONCURRENCY', text))].sort((a, b) => a - b)
    : DEFAULT_CONCURRENCY;
  return {
    files,
    warmup: Math.min(500, Math.max(50, Math.round(files / 20))),
    concurrencies,
    runs: one('BENCH_BULK_RUNS', Math.min(options.runs, DEFAULT_MAX_RUNS)),
    clients: process.env.BENCH_BULK_OPENAPI_FETCH === '1' ? ['facade', 'fetch', 'openapi-fetch'] : ['facade', 'fetch'],
  };
}

/** Empties the sandbox and seeds the warm-up and measured files, each with values to reset. */
export function seed(sandbox: Sandbox, { files, warmup }: BulkConfig): void {
  sandbox.reset();
  const add = (id: string): void => {
    sandbox.oracle.addFile({
      id,
      owner: BULK_OWNER,
      collections: { [BULK_COLLECTION]: { A1: 'one', A2: 'two', Kept: 'three' } },
    });
  };
  for (let i = 0; i < warmup; i++) add(fileIdOf('warmup', i));
  for (let i = 0; i < files; i++) add(fileIdOf('measured', i));
}

/** What is wrong with a run, judged by the client's tally and by the sandbox; undefined if nothing. */
export function check(sandbox: Sandbox, run: BulkRun, { files, warmup }: BulkConfig): string | undefined {
  if (run.failed > 0 || run.succeeded !== files) {
    return `${run.succeeded} of ${files} succeeded${run.firstError ? ` (first failure: ${run.firstError})` : ''}`;
  }
  let left = 0;
  for (let i = 0; i < files; i++) {
    const values = sandbox.oracle.file(fileIdOf('measured', i))?.collections[BULK_COLLECTION] ?? {};
    if (BULK_FIELDS.some((field) => field in values) || !('Kept' in values)) left++;
  }
  if (left > 0) return `${left} files not cleared as asked`;
  const answered = sandbox.requests.filter((r) => r.status === 200).length;
  if (answered !== files + warmup || sandbox.requests.length !== files + warmup) {
    return `the sandbox saw ${sandbox.requests.length} requests (${answered} answered 200), expected ${files + warmup}`;
  }
  return undefined;
}

async function runChild(client: BulkClient, concurrency: number, baseUrl: string, cfg: BulkConfig): Promise<BulkRun> {
  const args = [
    '--import',
    'tsx',
    CHILD,
    '--client',
    client,
    '--base-url',
    baseUrl,
    '--files',
    String(cfg.files),
    '--warmup',
    String(cfg.warmup),
    '--concurrency',
    String(concurrency),
  ];
  const { stdout, stderr } = await timeCommand(process.execPath, args, { cwd: REPO });
  const run = JSON.parse(stdout) as BulkRun;
  run.listenerWarnings = stderr.split('MaxListenersExceededWarning').length - 1;
  return run;
}

function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function rate(s: Summary): string {
  return s.n === 1
    ? `${thousands(s.median)} files/s`
    : `${thousands(s.median)} files/s (${thousands(s.min)}–${thousands(s.max)})`;
}

function megabytes(s: Summary): string {
  return formatSummary(s, 'MB');
}

function ms(s: Summary): string {
  return formatSummary(s, 'ms');
}

/** The median of per-run ratios (each run's facade against the plain loop measured beside it), with its spread. */
function pairedRatio(facade: readonly number[], plain: readonly number[]): Summary {
  return summarize(facade.map((f, i) => f / (plain[i] as number)));
}

/** How many TCP connections the clients opened: undici (the plain loop) does not keep one alive after a DELETE that has a body. */
function connectionNote(runs: Record<BulkClient, BulkRun[]>, cfg: BulkConfig): string {
  const plain = summarize(runs.fetch.map((r) => r.connections)).median;
  const facade = summarize(runs.facade.map((r) => r.connections)).median;
  const counts = `TCP connections opened for ${thousands(cfg.files)} files: ${thousands(plain)} (facade ${thousands(facade)})`;
  return plain * 2 > cfg.files
    ? `${counts}: undici does not reuse a connection after a DELETE that has a body, so nearly every file of the plain loop connects anew`
    : counts;
}

function rowsFor(concurrency: number, runs: Record<BulkClient, BulkRun[]>, cfg: BulkConfig): Row[] {
  const section = `bulk: concurrency ${concurrency}`;
  const facade = runs.facade;
  const plain = runs.fetch;
  const perSecond = (r: BulkRun): number => (cfg.files * 1000) / r.ms;
  const throughput = pairedRatio(facade.map(perSecond), plain.map(perSecond));
  const met = throughput.median >= GOAL;
  const pick = (list: BulkRun[], f: (r: BulkRun) => number): Summary => summarize(list.map(f));
  const compare = (label: string, f: (r: BulkRun) => number, format: (s: Summary) => string, note: string): Row => ({
    section,
    case: label,
    value: format(pick(facade, f)),
    baseline: format(pick(plain, f)),
    ratio: factor(pick(facade, f).median, pick(plain, f).median),
    note,
  });
  const bare = runs['openapi-fetch'];
  const bareRows: Row[] =
    bare.length === 0
      ? []
      : [
          {
            section,
            case: `  bare openapi-fetch loop, ${thousands(cfg.files)} files`,
            value: rate(pick(bare, perSecond)),
            baseline: rate(pick(plain, perSecond)),
            ratio: `${pairedRatio(bare.map(perSecond), plain.map(perSecond)).median.toFixed(2)}× the plain loop`,
            note: `the same loop over createClient<paths>().DELETE: the generated client's own share; client CPU per file ${ms(pick(bare, (r) => r.cpuMs / cfg.files))}`,
          },
        ];
  return [
    {
      section,
      case: `deleteFileMetadataValuesMany, ${thousands(cfg.files)} files`,
      value: rate(pick(facade, perSecond)),
      baseline: rate(pick(plain, perSecond)),
      ratio: `${throughput.median.toFixed(2)}× the plain loop`,
      note: `goal ≥ ${GOAL}×: ${met ? 'met' : 'MISSED'}; per-run ratios ${throughput.min.toFixed(2)}–${throughput.max.toFixed(2)}; every file cleared and answered 200 once (checked)`,
    },
    {
      section,
      case: `plain fetch loop, ${thousands(cfg.files)} files`,
      value: rate(pick(plain, perSecond)),
      baseline: '—',
      ratio: 'baseline',
      note: `${concurrency} async loops sharing one index: fetch(DELETE), response.json(), errorCode check; ${connectionNote(runs, cfg)}`,
    },
    ...bareRows,
    compare(
      '  client CPU per file',
      (r) => r.cpuMs / cfg.files,
      ms,
      `goal ≤ ${CPU_GOAL_MS} ms: ${pick(facade, (r) => r.cpuMs / cfg.files).median <= CPU_GOAL_MS ? 'met' : 'MISSED'}; user + system time of the client process / files (not wall clock: what the client itself burns); MaxListenersExceededWarning on stderr: facade ${pick(facade, (r) => r.listenerWarnings ?? 0).max}, plain ${pick(plain, (r) => r.listenerWarnings ?? 0).max} (most in one run)`,
    ),
    compare(
      '  latency p50',
      (r) => r.p50,
      ms,
      'per request: plain loop fetch called → response headers; facade item taken → result (bench/bulk-client.ts)',
    ),
    compare('  latency p99', (r) => r.p99, ms, 'same measures; includes queueing behind the other requests in flight'),
    compare(
      '  peak RSS',
      (r) => r.peakRssMB,
      megabytes,
      'client process only (sandbox in the parent); sampled every 50 ms during the measured files',
    ),
    compare(
      '  peak used heap',
      (r) => r.peakHeapMB,
      megabytes,
      `V8 used heap, same sampling; before the run: ${pick(facade, (r) => r.startHeapMB).median.toFixed(0)} MB vs ${pick(plain, (r) => r.startHeapMB).median.toFixed(0)} MB`,
    ),
  ];
}

async function runBulkBench(options: BenchOptions): Promise<Row[]> {
  const cfg = config(options);
  options.log(
    `bulk: ${thousands(cfg.files)} files (+${cfg.warmup} warm-up) at concurrency ${cfg.concurrencies.join(', ')}, ${cfg.runs} runs each`,
  );
  const sandbox = await startSandbox();
  const rows: Row[] = [];
  try {
    for (const concurrency of cfg.concurrencies) {
      const runs: Record<BulkClient, BulkRun[]> = { facade: [], fetch: [], 'openapi-fetch': [], stream: [] };
      for (let i = 0; i < cfg.runs; i++) {
        const order = i % 2 === 0 ? cfg.clients : [...cfg.clients].reverse();
        for (const client of order) {
          seed(sandbox, cfg);
          const run = await runChild(client, concurrency, sandbox.oracleBaseUrl, cfg);
          const problem = check(sandbox, run, cfg);
          if (problem) throw new Error(`bulk: ${client} at concurrency ${concurrency}: ${problem}`);
          runs[client].push(run);
        }
        const last = (client: BulkClient): string => {
          const run = runs[client].at(-1) as BulkRun;
          return `${client} ${thousands((cfg.files * 1000) / run.ms)}/s, p99 ${run.p99.toFixed(1)} ms, RSS ${run.peakRssMB.toFixed(0)} MB`;
        };
        options.log(`bulk: c=${concurrency} run ${i + 1}/${cfg.runs}: ${cfg.clients.map(last).join('; ')}`);
      }
      rows.push(...rowsFor(concurrency, runs, cfg));
    }
  } finally {
    sandbox.reset();
    await sandbox.close();
  }
  return rows;
}

export const bulkSection: Section = {
  name: 'bulk',
  run: runBulkBench,
};
