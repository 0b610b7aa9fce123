/**
 * The scale benchmark (`npm run bench -- --section scale`): the CLI's bulk run at production size
 * against a local keep-alive server on 127.0.0.1 that answers success at once (in this process).
 *
 * - peak RSS of the CLI over BENCH_SCALE_FILES files (default 100,000; the figure is for
 *   1,000,000: `BENCH_SCALE_FILES=1000000`), against the same CLI over 10,000 files;
 * - the first Ctrl-C to exit, on that input, sent once 2,000 requests have arrived;
 * - throughput at concurrency 8 (files per second, wall time from spawn to exit) against the
 *   library's own runner in one process (bench/scale-library.mjs) over the same files;
 * - the resume of that run's journal, all done (wall time and peak RSS), against the first run;
 * - the read-back of two journals the issue measured (BENCH_SCALE_JOURNAL_LINES lines, default
 *   1,000,000, 44-character IDs): every file failed (the resume then stops on the server's
 *   refusals, 10 in a row), and the first file cancelled with every later one done (the resume
 *   runs that one file): peak RSS of each resume, against the all-done resume above.
 * Every CLI run is the built CLI (`npm run build` first), as an operator runs it.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOURNAL_VERSION } from '../src/cli/bulk/journal.js';
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

/** `status` 200 answers success; 403 refuses the credential (errorCode -20), as Oracle does. */
async function startServer(status = 200): Promise<Server> {
  const body = JSON.stringify(status === 200 ? { errorCode: '0' } : { errorCode: '-20', errorMessage: 'refused' });
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
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

function journalLines(): number {
  const text = process.env.BENCH_SCALE_JOURNAL_LINES ?? '1000000';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SCALE_JOURNAL_LINES=${text}: expected a positive integer`);
  return n;
}

const longId = (i: number) => `D${String(i).padStart(43, '0')}`;

/**
 * A journal of `n` files as a run against `baseUrl` writes it (`kind`: every file failed, or the
 * first cancelled and every later one done), and its input; returns their paths.
 */
function syntheticJournal(dir: string, baseUrl: string, n: number, kind: 'failed' | 'gap') {
  const input = join(dir, `ids-${kind}.txt`);
  const journal = join(dir, `${kind}.journal`);
  const header = JSON.stringify({
    metaclear: 'journal',
    version: JOURNAL_VERSION,
    api: 'oracle-documents',
    operation: 'delete-metadata',
    origin: new URL(baseUrl).origin,
    collection: 'CollectionA',
    fields: ['A1'],
    created: new Date().toISOString(),
  });
  writeFileSync(input, '');
  writeFileSync(journal, `${header}\n`);
  for (let start = 1; start <= n; start += 100_000) {
    const ids: string[] = [];
    const lines: string[] = [];
    for (let i = start; i < Math.min(start + 100_000, n + 1); i++) {
      ids.push(longId(i));
      if (kind === 'failed') {
        lines.push(JSON.stringify({ n: i, fileId: longId(i), ok: false, cause: 'HTTP 500 Internal Server Error' }));
      } else if (i > 1) lines.push(JSON.stringify({ n: i, fileId: longId(i), ok: true }));
    }
    appendFileSync(input, `${ids.join('\n')}\n`);
    if (lines.length > 0) appendFileSync(journal, `${lines.join('\n')}\n`);
  }
  return { input, journal };
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

function runCli(dir: string, baseUrl: string, input: string, extra: string[] = [], okExitCodes: number[] = []) {
  const [script, ...args] = cliArgs(input, [...credentialFlags(baseUrl), ...extra]);
  return timeNodeScript(script as string, args, { cwd: dir, okExitCodes });
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
    const lines = journalLines();
    options.log(`scale: resume of a ${thousands(lines)}-line journal of failures (stopped by 10 refusals)`);
    const refusing = await startServer(403);
    let failedResume: Awaited<ReturnType<typeof runCli>>;
    try {
      const failed = syntheticJournal(dir, refusing.baseUrl, lines, 'failed');
      failedResume = await runCli(
        dir,
        refusing.baseUrl,
        failed.input,
        ['--concurrency', '8', '--journal', failed.journal],
        [1],
      );
    } finally {
      await refusing.close();
    }
    if (!/^Stopped: 10 answers in a row refused the credential/m.test(failedResume.stdout)) {
      throw new Error(`scale: the resume of the failures did not run them: ${failedResume.stdout}`);
    }
    options.log(`scale: resume of a ${thousands(lines)}-line journal, the first file cancelled, the rest done`);
    const gap = syntheticJournal(dir, server.baseUrl, lines, 'gap');
    const gapResume = await runCli(dir, server.baseUrl, gap.input, ['--concurrency', '8', '--journal', gap.journal]);
    if (!new RegExp(`^1 file: 1 succeeded, 0 failed, ${lines - 1} skipped`, 'm').test(gapResume.stdout)) {
      throw new Error(`scale: the resume after the gap did not run the first file only: ${gapResume.stdout}`);
    }
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
      {
        section: 'scale',
        case: `resume of a ${thousands(lines)}-line journal, every file failed`,
        value: `${mb(failedResume.peakRssMB)}, ${ms(failedResume.ms)}`,
        baseline: `the all-done resume: ${mb(resumeRun.peakRssMB)}`,
        ratio: factor(failedResume.peakRssMB, resumeRun.peakRssMB),
        note: 'read back, then stopped by 10 refusals in a row; 44-character IDs; goal ≤ 150 MB',
      },
      {
        section: 'scale',
        case: `resume of a ${thousands(lines)}-line journal, the first file cancelled, the rest done`,
        value: `${mb(gapResume.peakRssMB)}, ${ms(gapResume.ms)}`,
        baseline: `the all-done resume: ${mb(resumeRun.peakRssMB)}`,
        ratio: factor(gapResume.peakRssMB, resumeRun.peakRssMB),
        note: 'runs the first file only; goal ≤ 150 MB',
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
