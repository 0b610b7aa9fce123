/**
 * The fault matrix of a bulk run: a 20,000-file run with a journal is killed with SIGKILL at
 * random points (chosen by request count on the server, from a seeded generator, so a failure
 * can be replayed with METACLEAR_FAULT_SEED), resumed with the same command each time, until it
 * ends by itself. Then every file was cleared, and the records account for every file: the
 * journal holds a success for each position of the input, with that position's ID, the backup
 * holds each file's values from before its clear, and the last run's summary counts the rest as
 * skipped.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClearingServer, startClearingServer } from '../../helpers/clearing-server.js';
import { builtCli, type CliResult, startCli } from '../../helpers/cli.js';

const SEED = Number(process.env.METACLEAR_FAULT_SEED ?? 17);
const FILES = 20_000;
const KILLS = 6;

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let server: ClearingServer;
let dir: string;
beforeAll(async () => {
  builtCli();
  server = await startClearingServer();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-faults-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it(`SIGKILL at ${KILLS} random request counts (seed ${SEED}), resumed each time: every file cleared, every file recorded once in the journal`, async () => {
  const ids = Array.from({ length: FILES }, (_, i) => `FM${String(i).padStart(6, '0')}`);
  writeFileSync(join(dir, 'ids.txt'), `${ids.join('\n')}\n`);
  const next = random(SEED);
  const args = [
    'oracle',
    'delete-metadata',
    '--collection',
    'CollectionA',
    '--field',
    'A1',
    '--files-from',
    'ids.txt',
    '--journal',
    'run.journal',
  ];
  const env = { OCM_BASE_URL: server.baseUrl, OCM_USERNAME: 'operator', OCM_PASSWORD: 'fault-password' };
  const runs: CliResult[] = [];
  for (let kill = 0; kill <= KILLS; kill++) {
    // A kill point within the next 1 to 4,000 requests; the last run is let finish.
    const killAt = kill < KILLS ? server.count + 1 + Math.floor(next() * 4000) : Number.POSITIVE_INFINITY;
    const cli = startCli(args, { env, cwd: dir, timeoutMs: 45_000 });
    server.onRequest = (count) => {
      if (count === killAt) cli.child.kill('SIGKILL');
      return undefined;
    };
    const run = await cli.result;
    runs.push(run);
    if (run.signal === 'SIGKILL') continue;
    // The run ended before the kill point: it was done.
    expect(run.code).toBe(0);
    break;
  }
  server.onRequest = undefined;
  const last = runs[runs.length - 1] as CliResult;
  expect({ code: last.code, stderr: last.stderr }).toEqual({ code: 0, stderr: '' });
  expect(runs.filter((run) => run.signal === 'SIGKILL').length).toBeGreaterThan(0);

  // Every file was cleared.
  expect(ids.filter((id) => !server.cleared.has(id))).toEqual([]);

  // The journal: a success at every position, with that position's ID; nothing else but lines cut by a kill.
  const lines = readFileSync(join(dir, 'run.journal'), 'utf8').split('\n').slice(1);
  const done = new Map<number, string>();
  let cut = 0;
  for (const line of lines) {
    if (line === '') continue;
    let entry: { n: number; fileId: string; ok: boolean };
    try {
      entry = JSON.parse(line);
    } catch {
      cut++;
      continue;
    }
    expect(entry.ok).toBe(true);
    expect(entry.fileId).toBe(ids[entry.n - 1]);
    done.set(entry.n, entry.fileId);
  }
  expect(done.size).toBe(FILES);
  expect(cut).toBeLessThan(runs.length);

  // The backup (the journal's, appended to by each resume) holds every file's values before its clear.
  const backedUp = new Set<string>();
  for (const line of readFileSync(join(dir, 'run.journal.backup.jsonl'), 'utf8').split('\n').slice(1)) {
    if (line === '') continue;
    let entry: { fileId: string; values?: Record<string, string> };
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // a line cut by a kill: its file was not cleared before the next run read it again
    }
    // (A line that is not an entry, {"clear":…}, is the outcome of an entry's DELETE.)
    if (entry.values?.A1 === `own value of ${entry.fileId}`) backedUp.add(entry.fileId);
  }
  expect(ids.filter((id) => !backedUp.has(id))).toEqual([]);

  // The last run counts what it ran and what the journal had done: every file, once.
  const summary =
    /^(\d+) files: (\d+) succeeded, 0 failed(?:, (\d+) skipped \(done in an earlier run, per the journal\))?\.$/m.exec(
      last.stdout,
    );
  expect(summary).not.toBeNull();
  expect(Number(summary?.[1]) + Number(summary?.[3] ?? 0)).toBe(FILES);
  expect(Number(summary?.[2])).toBe(Number(summary?.[1]));
  // Each backed-up file waits for its entry's fsync (shared by the files in flight) before its
  // DELETE: on a loaded 2-core machine with a busy disk the six runs take 35-50 s.
}, 120_000);
