/**
 * Progress of a real bulk run (the built CLI against the sandbox over HTTP) with stderr sent to a
 * file, as under cron, CI, nohup or tee: progress lines at the interval METACLEAR_PROGRESS_INTERVAL
 * sets; and a resumed run's bar, which counts the files the journal skips.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDemoUser, bulkFileId, DEMO, seedOracleFiles } from '../../../src/sandbox/demo-state.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runPrinted } from '../../helpers/cli.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  addDemoUser(sandbox.oracle);
  seedOracleFiles(sandbox.oracle, 400);
  dir = mkdtempSync(join(tmpdir(), 'metaclear-progress-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({
  OCM_BASE_URL: sandbox.oracleBaseUrl,
  OCM_USERNAME: DEMO.oracleUser,
  OCM_PASSWORD: DEMO.oraclePassword,
});
const clear = '--collection CollectionA --field A1 --field A2 --no-backup';

it('stderr to a file: progress lines at the interval, with done of total, rate, failures and time left', async () => {
  const ids = Array.from({ length: 400 }, (_, i) => bulkFileId(i + 1));
  writeFileSync(join(dir, 'ids.txt'), `${ids.join('\n')}\n`);
  // 400 files at most 200 a second: the run lasts 2 s or more, so 0.05 s lines must appear.
  const run = await runPrinted(
    `METACLEAR_PROGRESS_INTERVAL=0.05 metaclear oracle delete-metadata --files-from ids.txt ${clear} --max-rate 200/s 2> progress.log`,
    { cwd: dir, env: env(), timeoutMs: 120_000 },
  );
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/400 succeeded/);
  const log = readFileSync(join(dir, 'progress.log'), 'utf8');
  expect(log).not.toContain('\r');
  const lines = log.split('\n').filter((line) => line.startsWith('progress: '));
  expect(lines.length).toBeGreaterThanOrEqual(2);
  const done: number[] = [];
  for (const line of lines) {
    const match =
      /^progress: (\d+)\/400 files \(\d+%\) · \d+\.\d files\/s · 0 failed · (about \d+ (s|min) left|time left unknown|0 s left) · \d+ s elapsed$/.exec(
        line,
      );
    expect(match).not.toBeNull();
    done.push(Number(match?.[1]));
  }
  expect(done).toEqual([...done].sort((a, b) => a - b));
  expect(done.at(-1)).toBeLessThanOrEqual(400);
  expect(sandbox.oracle.file(bulkFileId(400))?.collections.CollectionA).toEqual({});
}, 150_000);

it('--progress none: no progress line', async () => {
  writeFileSync(join(dir, 'ids.txt'), `${bulkFileId(1)}\n${bulkFileId(2)}\n`);
  const run = await runPrinted(
    `METACLEAR_PROGRESS_INTERVAL=0.001 metaclear oracle delete-metadata --files-from ids.txt ${clear} --max-rate 4/s --progress none 2> progress.log`,
    { cwd: dir, env: env() },
  );
  expect(run.code).toBe(0);
  expect(readFileSync(join(dir, 'progress.log'), 'utf8')).not.toMatch(/progress: |\r/);
});

it('a resumed run: the bar counts the files the journal skips, and ends at 100% 400/400', async () => {
  // 285 files that exist, and 115 the server does not know (each fails with 404, run after run).
  const ids = [
    ...Array.from({ length: 285 }, (_, i) => bulkFileId(i + 1)),
    ...Array.from({ length: 115 }, (_, i) => `missing-${i + 1}`),
  ];
  writeFileSync(join(dir, 'ids.txt'), `${ids.join('\n')}\n`);
  const command = `metaclear oracle delete-metadata --files-from ids.txt ${clear} --journal run.journal --progress bar`;
  const first = await runPrinted(`${command} 2> first.log`, { cwd: dir, env: env(), timeoutMs: 120_000 });
  expect(first.code).not.toBe(0);
  const second = await runPrinted(`${command} 2> second.log`, { cwd: dir, env: env(), timeoutMs: 120_000 });
  expect(second.code).toBe(first.code);
  const drawn = readFileSync(join(dir, 'second.log'), 'utf8')
    .split('\r\x1b[2K')
    .filter((s) => s !== '');
  const bars = drawn.filter((s) => /% \d+\/400 /.test(s));
  expect(bars.at(-1)).toMatch(/ 100% 400\/400 · 115 failed · 285 skipped · \d+\.\d s$/);
});
