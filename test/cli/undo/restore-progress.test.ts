/**
 * Progress of a long restore (the built CLI against the sandbox over HTTP) with stderr sent to a
 * file, as under cron, CI or nohup: the Oracle restore writes progress lines of the backup's entries
 * at the interval METACLEAR_PROGRESS_INTERVAL sets; the Edge Impulse restore's bar ends at its total.
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
  dir = mkdtempSync(join(tmpdir(), 'metaclear-restore-progress-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('Oracle: a restore with stderr to a file writes progress lines of the entries it settles', async () => {
  addDemoUser(sandbox.oracle);
  seedOracleFiles(sandbox.oracle, 300);
  const env = {
    OCM_BASE_URL: sandbox.oracleBaseUrl,
    OCM_USERNAME: DEMO.oracleUser,
    OCM_PASSWORD: DEMO.oraclePassword,
  };
  writeFileSync(join(dir, 'ids.txt'), `${Array.from({ length: 300 }, (_, i) => bulkFileId(i + 1)).join('\n')}\n`);
  const cleared = await runPrinted(
    'metaclear oracle delete-metadata --files-from ids.txt --collection CollectionA --field A1 --field A2 --backup b.jsonl --progress none',
    { cwd: dir, env, timeoutMs: 120_000 },
  );
  expect(cleared.code).toBe(0);
  // 300 entries at most 150 a second: the restore lasts 2 s or more, so 0.05 s lines must appear.
  const restored = await runPrinted(
    'METACLEAR_PROGRESS_INTERVAL=0.05 metaclear restore b.jsonl --max-rate 150/s 2> progress.log',
    { cwd: dir, env, timeoutMs: 120_000 },
  );
  expect(restored.code).toBe(0);
  expect(restored.stdout).toMatch(/^Restored 300 files of 300 entries in b\.jsonl/m);
  const log = readFileSync(join(dir, 'progress.log'), 'utf8');
  expect(log).not.toContain('\r');
  const lines = log.split('\n').filter((line) => line.startsWith('progress: '));
  expect(lines.length).toBeGreaterThanOrEqual(2);
  const done = lines.map((line) => {
    const match = /^progress: (\d+)\/300 entries \(\d+%\) · \d+\.\d entries\/s · 0 failed · /.exec(line);
    if (match === null) throw new Error(`not a progress line of the entries: ${line}`);
    return Number(match[1]);
  });
  expect(done).toEqual([...done].sort((a, b) => a - b));
  expect(sandbox.oracle.file(bulkFileId(300))?.collections.CollectionA).toMatchObject({ A1: expect.any(String) });
}, 150_000);

it('Edge Impulse: the restore bar counts the backup entries and ends at its total', async () => {
  sandbox.edgeImpulse.addSamples(
    2,
    Array.from({ length: 50 }, (_, i) => ({ id: i + 1, metadata: { batch: `b${i % 3}` } })),
  );
  const env = { EDGE_IMPULSE_API_KEY: 'ei-progress-key', EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl };
  const clear = await runPrinted(
    'metaclear edge-impulse clear-metadata --project 2 --category training --key batch --backup b.jsonl --wait --progress none',
    { cwd: dir, env, timeoutMs: 60_000 },
  );
  expect(clear.code).toBe(0);
  const restored = await runPrinted('metaclear restore b.jsonl --progress bar 2> progress.log', {
    cwd: dir,
    env,
    timeoutMs: 60_000,
  });
  expect(restored.code).toBe(0);
  const bars = readFileSync(join(dir, 'progress.log'), 'utf8')
    .split('\r\x1b[2K')
    .filter((s) => / \d+\/50 /.test(s));
  expect(bars.at(-1)).toMatch(/ 100% 50\/50 · 0 failed · \d+\.\d s$/);
  expect(sandbox.edgeImpulse.samples(2).every((s) => typeof s.metadata.batch === 'string')).toBe(true);
}, 90_000);
