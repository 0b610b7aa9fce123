/**
 * The scale benchmark (`npm run bench`, section "bulk-scale"): does the client's memory grow with
 * the number of files? The streaming runner (`deleteFileMetadataValuesStream`, results tallied as
 * they come, as the CLI does) and the array API (`deleteFileMetadataValuesMany`, which keeps every
 * result) each run over BENCH_SCALE_FILES files (default 3,000) and over ten times as many, at
 * concurrency 8, against the sandbox on loopback. Each child runs with `--expose-gc`: the heap it
 * retains is the used heap after a full collection once the last result is known (the array still
 * held), less the same figure before the measured files. The figure reported is the growth per
 * extra file, (retained at 10× − retained at 1×) / (the extra files): a ratio of two runs of the
 * same client, so the machine's speed does not enter it. The stream is also timed against the
 * array API and the plain `fetch` loop over the larger input, in the same run.
 */
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { type BulkConfig, check, seed } from './bulk.js';
import type { BulkClient, BulkRun } from './bulk-client.js';
import { REPO } from './fixtures.js';
import type { BenchOptions, Row, Section } from './report.js';
import { type Summary, summarize } from './stats.js';
import { timeCommand } from './subprocess.js';

const CHILD = join(import.meta.dirname, 'bulk-client.ts');
const CONCURRENCY = 8;
const SCALE = 10;
/** Heap growth per extra file the stream should stay under, bytes: above the noise of one collection (±0.5 MB over 27,000 files is ±20 B), far below the array API (~150 B) and the ~800 B per file the CLI grew by before. */
const GOAL_BYTES_PER_FILE = 50;

function files(): number {
  const text = process.env.BENCH_SCALE_FILES;
  const n = text === undefined ? 3000 : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SCALE_FILES=${text}: expected a positive integer`);
  return n;
}

async function runChild(client: BulkClient, baseUrl: string, cfg: BulkConfig): Promise<BulkRun> {
  const args = ['--expose-gc', '--import', 'tsx', CHILD, '--client', client, '--base-url', baseUrl];
  args.push('--files', String(cfg.files), '--warmup', String(cfg.warmup), '--concurrency', String(CONCURRENCY));
  const { stdout } = await timeCommand(process.execPath, args, { cwd: REPO });
  return JSON.parse(stdout) as BulkRun;
}

async function measured(sandbox: Sandbox, client: BulkClient, cfg: BulkConfig): Promise<BulkRun> {
  seed(sandbox, cfg);
  const run = await runChild(client, sandbox.oracleBaseUrl, cfg);
  const problem = check(sandbox, run, cfg);
  if (problem) throw new Error(`bulk-scale: ${client} over ${cfg.files} files: ${problem}`);
  if (client !== 'fetch' && run.retainedMB === undefined)
    throw new Error(`bulk-scale: ${client}: no retained heap (is --expose-gc on?)`);
  return run;
}

const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');
const spread = (s: Summary, digits: number, unit: string): string =>
  s.n === 1
    ? `${s.median.toFixed(digits)} ${unit}`
    : `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

async function runScaleBench(options: BenchOptions): Promise<Row[]> {
  const small = files();
  const large = small * SCALE;
  const runs = Math.min(options.runs, 4);
  const config = (n: number): BulkConfig => ({
    files: n,
    warmup: 200,
    concurrencies: [CONCURRENCY],
    runs,
    clients: [],
  });
  options.log(
    `bulk-scale: ${thousands(small)} and ${thousands(large)} files at concurrency ${CONCURRENCY}, ${runs} runs`,
  );
  const sandbox = await startSandbox();
  const perFile: Record<'stream' | 'facade', number[]> = { stream: [], facade: [] };
  const retained: Record<'stream' | 'facade', string[]> = { stream: [], facade: [] };
  const rate: Record<'stream' | 'facade' | 'fetch', number[]> = { stream: [], facade: [], fetch: [] };
  try {
    for (let i = 0; i < runs; i++) {
      // The clients alternate their order, so that neither always runs on a machine warmed up by the other.
      const order = i % 2 === 0 ? (['stream', 'facade'] as const) : (['facade', 'stream'] as const);
      for (const client of order) {
        const one = await measured(sandbox, client, config(small));
        const ten = await measured(sandbox, client, config(large));
        retained[client].push(`${one.retainedMB?.toFixed(2)} → ${ten.retainedMB?.toFixed(2)} MB`);
        perFile[client].push((((ten.retainedMB as number) - (one.retainedMB as number)) * 2 ** 20) / (large - small));
        rate[client].push((large * 1000) / ten.ms);
      }
      const plain = await measured(sandbox, 'fetch', config(large));
      rate.fetch.push((large * 1000) / plain.ms);
      options.log(
        `bulk-scale: run ${i + 1}/${runs}: growth per file stream ${perFile.stream.at(-1)?.toFixed(1)} B, array ${perFile.facade.at(-1)?.toFixed(1)} B`,
      );
    }
  } finally {
    sandbox.reset();
    await sandbox.close();
  }
  const section = `bulk-scale: concurrency ${CONCURRENCY}`;
  const stream = summarize(perFile.stream);
  const array = summarize(perFile.facade);
  const ratio = (a: number[], b: number[]): Summary => summarize(a.map((x, i) => x / (b[i] as number)));
  const streamVsArray = ratio(rate.stream, rate.facade);
  const streamVsPlain = ratio(rate.stream, rate.fetch);
  return [
    {
      section,
      case: `deleteFileMetadataValuesStream: heap retained per extra file, ${thousands(small)} → ${thousands(large)} files`,
      value: spread(stream, 1, 'B/file'),
      baseline: spread(array, 0, 'B/file'),
      ratio: `${(stream.median / array.median).toFixed(3)}× the array API`,
      note: `goal < ${GOAL_BYTES_PER_FILE} B/file: ${stream.median < GOAL_BYTES_PER_FILE ? 'met' : 'MISSED'}; used heap after a full GC at the last result, minus before the run (stream ${retained.stream.join(', ')}; array ${retained.facade.join(', ')}); a negative figure means the longer run ended holding less (seen: 0.8 MB at 3,000 files, 0.3 MB at 30,000), not that files free memory; baseline: deleteFileMetadataValuesMany, which keeps every result`,
    },
    {
      section,
      case: `deleteFileMetadataValuesStream, ${thousands(large)} files`,
      value: spread(summarize(rate.stream), 0, 'files/s'),
      baseline: spread(summarize(rate.facade), 0, 'files/s'),
      ratio: `${streamVsArray.median.toFixed(2)}× the array API`,
      note: `per-run ratios ${streamVsArray.min.toFixed(2)}–${streamVsArray.max.toFixed(2)}; ${streamVsPlain.median.toFixed(2)}× the plain fetch loop (${spread(summarize(rate.fetch), 0, 'files/s')}); the baseline for the CLI's throughput`,
    },
  ];
}

export const bulkScaleSection: Section = { name: 'bulk-scale', run: runScaleBench };
