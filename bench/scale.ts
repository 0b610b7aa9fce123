/**
 * The scale benchmark (`npm run bench -- --section scale`): the CLI's bulk run at production size
 * against a local keep-alive server on 127.0.0.1 that answers success at once (in this process).
 *
 * - peak RSS of the CLI over BENCH_SCALE_FILES files (default 100,000; the figure is for
 *   1,000,000: `BENCH_SCALE_FILES=1000000`), against the same CLI over 10,000 files;
 * - the first Ctrl-C to exit, on that input, sent once 2,000 requests have arrived;
 * - throughput at concurrency 8 (files per second, wall time from spawn to exit) against the
 *   library's own runner in one process (bench/scale-library.mjs) over the same files;
 * - the resume of that run's journal, all done (wall time and peak RSS), against the first run.
 * Every CLI run is the built CLI (`npm run build` first), as an operator runs it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './fixtures.js';
import { type BenchOptions, factor, formatSummary, type Row, type Section } from './report.js';
import { summarize } from './stats.js';
import { timeNodeScript } from './subprocess.js';

const CLI = join(REPO, 'dist', 'esm', 'cli', 'main.js');
const INDEX = join(REPO, 'dist', 'esm', 'index.js');
const LIBRARY = join(import.meta.dirname, 'scale-library.mjs');
const SMALL = 10_000;

function files(): number {
  const text = process.env.BENCH_SCALE_FILES ?? '100000';
  const n = Number(text);
  if (!Number.isInteger(n) || n < SMALL)
    throw new Error(`BENCH_SCALE_FILES=${text}: expected an integer of at least ${SMALL}`);
  return n;
}

interface Server {
  baseUrl: string;
  /** Requests answered so far. */
  readonly count: number;
  close(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const body = JSON.stringify({ errorCode: '0' });
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/documents/api/1.1`;
  return {
    baseUrl,
    get count() {
      return count;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function idsFile(dir: string, n: number): string {
  const path = join(dir, `ids-${n}.txt`);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`S${i}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const credentialFlags = (baseUrl: string) => [
  '--base-url',
  baseUrl,
  '--username',
  'bench',
  '--password',
  'bench-password',
];

function cliArgs(input: string, extra: string[] = []): string[] {
  return [
    CLI,
    'oracle',
    'delete-metadata',
    '--collection',
    'CollectionA',
    '--field',
    'A1',
    '--files-from',
    input,
    // One DELETE per file, as the library's runner sends: the journal, the failed-IDs file and
    // the summary are what is measured, not the backup's read (see the oracle-restore section).
    '--no-backup',
    ...extra,
  ];
}

function runCli(dir: string, baseUrl: string, input: string, extra: string[] = []) {
  const [script, ...args] = cliArgs(input, [...credentialFlags(baseUrl), ...extra]);
  return timeNodeScript(script as string, args, { cwd: dir });
}

/** Spawns the CLI over `input`, sends SIGINT once `after` requests have arrived, and resolves to the ms from the signal to its exit. */
async function ctrlC(
  dir: string,
  server: Server,
  input: string,
  after: number,
): Promise<{ ms: number; code: number | null }> {
  const start = server.count;
  const baseUrl = server.baseUrl;
  const flags = [...credentialFlags(baseUrl), '--failed-out', join(dir, `ctrlc-${Date.now()}.txt`)];
  const child = spawn(process.execPath, cliArgs(input, flags), {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (server.count - start >= after) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  const sent = performance.now();
  child.kill('SIGINT');
  const code = await exited;
  return { ms: performance.now() - sent, code };
}

async function runScale(options: BenchOptions): Promise<Row[]> {
  const n = files();
  const dir = mkdtempSync(join(tmpdir(), 'metaclear-bench-scale-'));
  const server = await startServer();
  const rows: Row[] = [];
  const thousands = (x: number) => x.toLocaleString('en-US');
  try {
    const small = idsFile(dir, SMALL);
    const large = idsFile(dir, n);
    options.log(`scale: CLI over ${thousands(SMALL)} files`);
    const smallRun = await runCli(dir, server.baseUrl, small, ['--concurrency', '8']);
    options.log(`scale: CLI over ${thousands(n)} files, with a journal`);
    const journal = join(dir, 'run.journal');
    const largeRun = await runCli(dir, server.baseUrl, large, ['--concurrency', '8', '--journal', journal]);
    options.log(`scale: resume of the ${thousands(n)}-line journal (all done)`);
    const resumeRun = await runCli(dir, server.baseUrl, large, ['--concurrency', '8', '--journal', journal]);
    if (!/skipped/.test(resumeRun.stdout)) throw new Error(`scale: the resume skipped nothing: ${resumeRun.stdout}`);
    options.log('scale: the library runner over the same number of files');
    const library = await timeNodeScript(LIBRARY, [INDEX, server.baseUrl, String(n), '8'], { cwd: dir });
    if (Number(library.stdout.trim()) !== n)
      throw new Error(`scale: the library run cleared ${library.stdout.trim()} of ${n}`);
    options.log('scale: first Ctrl-C to exit');
    const interrupt = await ctrlC(dir, server, large, 2000);
    if (interrupt.code !== 130) throw new Error(`scale: Ctrl-C ended the CLI with ${interrupt.code}, expected 130`);

    const mb = (x: number) => formatSummary(summarize([x]), 'MB');
    const ms = (x: number) => formatSummary(summarize([x]), 'ms');
    const perSecond = (count: number, t: number) => `${thousands(Math.round((count * 1000) / t))}/s`;
    rows.push(
      {
        section: 'scale',
        case: `CLI peak RSS, ${thousands(n)} files`,
        value: mb(largeRun.peakRssMB),
        baseline: `${thousands(SMALL)} files: ${mb(smallRun.peakRssMB)}`,
        ratio: factor(largeRun.peakRssMB, smallRun.peakRssMB),
        note: 'goal ≤ 150 MB and ≤ 1.2× the 10,000-file figure (local keep-alive server, answers at once)',
      },
      {
        section: 'scale',
        case: `first Ctrl-C to exit, ${thousands(n)}-line input`,
        value: ms(interrupt.ms),
        baseline: '—',
        ratio: '—',
        note: 'SIGINT sent once 2,000 requests arrived; goal ≤ 2 s',
      },
      {
        section: 'scale',
        case: `CLI throughput, concurrency 8, ${thousands(n)} files`,
        value: perSecond(n, largeRun.ms),
        baseline: `library runner in one process: ${perSecond(n, library.ms)}`,
        ratio: factor(library.ms, largeRun.ms),
        note: 'wall time from spawn to exit, both; the CLI also counts its input first and writes a journal; goal ≥ 0.8×',
      },
      {
        section: 'scale',
        case: `resume of a ${thousands(n)}-line journal (all done)`,
        value: `${ms(resumeRun.ms)}, ${mb(resumeRun.peakRssMB)}`,
        baseline: `the run that wrote it: ${ms(largeRun.ms)}`,
        ratio: factor(resumeRun.ms, largeRun.ms),
        note: 'goal ≤ 5 s at 1,000,000 lines, memory ≤ 150 MB',
      },
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export const scaleSection: Section = {
  name: 'scale',
  run: runScale,
};
