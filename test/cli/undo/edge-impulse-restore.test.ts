/**
 * `metaclear restore` of an Edge Impulse backup against the sandbox, over HTTP: the clear's jobs
 * recorded in the backup and waited for before anything is decided, the restore's own jobs, the
 * counts read back, and the exit statuses of what it left undone.
 *
 * The sandbox finishes a job on its third status request only, and the clear here never polls its
 * jobs (no --wait, or --wait stopped by Ctrl-C): the jobs advance only once the restore has started.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runCli, startCli } from '../../helpers/cli.js';
import { startFaultProxy } from '../../helpers/fault-proxy.js';
import { jobStatus } from '../../sandbox/http.js';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'cli-json.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
/** The one --json document, checked against the documented schema. */
function documentOf(stdout: string): Record<string, unknown> {
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const document = JSON.parse(lines[0] as string) as Record<string, unknown>;
  if (!validate(document)) throw new Error(`${stdout}\ndoes not match the schema: ${JSON.stringify(validate.errors)}`);
  return document;
}

const PROJECT = 2;
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox({ jobThreshold: 5, jobPolls: 3 });
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-ei-restore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ EDGE_IMPULSE_API_KEY: 'ei-restore-key-1', EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl });
const ei = (args: string[]) => runCli(args, { env: env(), cwd: dir, timeoutMs: 60_000 });
const CLEAR = ['edge-impulse', 'clear-metadata', '--project', String(PROJECT), '--category', 'training'];

/** 120 training samples, ids 1-120, each with `batch` (three values in turn) and `other`. */
function seed(): void {
  sandbox.edgeImpulse.addSamples(
    PROJECT,
    Array.from({ length: 120 }, (_, i) => ({ id: i + 1, metadata: { batch: `b${(i + 1) % 3}`, other: 'o' } })),
  );
}
const state = () => Object.fromEntries(sandbox.edgeImpulse.samples(PROJECT).map((s) => [s.id, { ...s.metadata }]));
const statusRequests = () => sandbox.requests.filter((r) => /\/jobs\/\d+\/status/.test(r.path));
const backupLines = (name = 'b.jsonl') =>
  readFileSync(join(dir, name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Polls every unfinished job of the project over HTTP until it ends: what happens after a restore returned. */
async function finishAllJobs(): Promise<void> {
  for (const job of sandbox.edgeImpulse.jobs(PROJECT)) {
    for (let i = 0; i < 5 && sandbox.edgeImpulse.job(PROJECT, job.id)?.finished === undefined; i++) {
      await jobStatus(sandbox, PROJECT, job.id);
    }
  }
}

describe('the clear records its jobs; the restore waits for them first', () => {
  it('a clear that returned at once: restore waits for its jobs, restores, and the values stay once every job ended', async () => {
    seed();
    const before = state();
    const clear = await ei([...CLEAR, '--key', 'batch', '--backup', 'b.jsonl', '--json']);
    expect(clear.code).toBe(0);
    expect(documentOf(clear.stdout)).toMatchObject({ cleared: 120, jobIds: [1, 2] });
    // The backup names both jobs, after the header and the entries.
    const lines = backupLines();
    expect(lines.filter((l) => 'jobId' in l)).toEqual([{ jobId: 1 }, { jobId: 2 }]);
    expect(lines.filter((l) => 'id' in l)).toHaveLength(120);
    // Nothing has polled the jobs: they run on, their samples still hold the key.
    expect(statusRequests()).toEqual([]);
    expect(sandbox.edgeImpulse.jobs(PROJECT).every((j) => j.finished === undefined)).toBe(true);

    const restoreStarts = sandbox.requests.length;
    const restore = await ei(['restore', 'b.jsonl']);
    expect(restore.stderr).toContain('job 1');
    expect(restore.stderr).toContain('job 2');
    // The clear's jobs were advanced by the restore's own polls, after it started.
    expect(sandbox.requests.findIndex((r) => /\/jobs\/1\/status/.test(r.path))).toBeGreaterThanOrEqual(restoreStarts);
    expect(sandbox.edgeImpulse.jobs(PROJECT).every((j) => j.finishedSuccessful === true)).toBe(true);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(
      /^Restored 120 samples of 120 entries in b\.jsonl \(3 calls\); read back: 120 hold their backed-up value\.\n$/,
    );
    await finishAllJobs();
    expect(state()).toEqual(before);
  }, 60_000);

  it('--no-wait refuses while a job of the clear runs: exit 75, the jobs named, nothing changed', async () => {
    seed();
    expect((await ei([...CLEAR, '--key', 'batch', '--backup', 'b.jsonl'])).code).toBe(0);
    const restore = await ei(['restore', 'b.jsonl', '--no-wait', '--json']);
    expect(restore.code).toBe(75);
    expect(restore.stderr).toMatch(/jobs? 1, 2 of the clear (have|has) not finished/);
    expect(documentOf(restore.stdout)).toMatchObject({ ok: false, exitCode: 75, pendingJobIds: [1, 2] });
    expect(sandbox.edgeImpulse.addOperations(PROJECT)).toEqual([]);
    // Once the jobs have ended, --no-wait has nothing to refuse: the restore runs.
    await finishAllJobs();
    const later = await ei(['restore', 'b.jsonl', '--no-wait']);
    expect(later.code).toBe(0);
    expect(later.stdout).toContain('read back: 120 hold their backed-up value');
  }, 60_000);

  it('Ctrl-C during the clear’s --wait, then restore: the job the clear left is waited for, every value is back', async () => {
    seed();
    const before = state();
    const clear = startCli([...CLEAR, '--key', 'batch', '--backup', 'b.jsonl', '--wait'], {
      env: env(),
      cwd: dir,
    });
    await clear.waitForStderr(/job 1: running \(poll 1/);
    clear.child.kill('SIGINT');
    const stopped = await clear.result;
    expect(stopped.code).toBe(130);
    expect(backupLines().filter((l) => 'jobId' in l)).toEqual([{ jobId: 1 }]);
    expect(sandbox.edgeImpulse.job(PROJECT, 1)?.finished).toBeUndefined();

    const restore = await ei(['restore', 'b.jsonl', '--json']);
    expect(restore.code).toBe(0);
    expect(sandbox.edgeImpulse.job(PROJECT, 1)?.finishedSuccessful).toBe(true);
    expect(documentOf(restore.stdout)).toMatchObject({ ok: true, entries: 120, restored: 100, unchanged: 20 });
    await finishAllJobs();
    expect(state()).toEqual(before);
  }, 60_000);

  it('a job of the restore that fails is a failure: exit 1, "ok": false, the samples it left listed', async () => {
    seed();
    expect((await ei([...CLEAR, '--key', 'batch', '--backup', 'b.jsonl', '--wait'])).code).toBe(0);
    sandbox.edgeImpulse.failNextJob(PROJECT, 'disk full');
    const restore = await ei(['restore', 'b.jsonl', '--json']);
    expect(restore.code).toBe(1);
    const document = documentOf(restore.stdout);
    expect(document).toMatchObject({ ok: false, exitCode: 1, entries: 120, restored: 80, failed: 40 });
    const undone = document.undone as { outcome: string }[];
    expect(undone).toHaveLength(40);
    expect(undone.every((entry) => entry.outcome === 'failed')).toBe(true);
    // Run again: it puts back the rest.
    const again = await ei(['restore', 'b.jsonl']);
    expect(again.code).toBe(0);
    await finishAllJobs();
    expect(sandbox.edgeImpulse.samples(PROJECT).every((s) => s.metadata.batch === `b${s.id % 3}`)).toBe(true);
  }, 60_000);
});

describe('a clear call whose answer was lost', () => {
  it('is not sent again; the backup says a job it cannot name may run, and the restore refuses (75) until told they ended', async () => {
    seed();
    const before = state();
    let lost = 0;
    // The first clear call reaches the server, which starts a job; its answer never comes back.
    const proxy = await startFaultProxy(new URL(sandbox.edgeImpulseBaseUrl).origin, (req) =>
      req.method === 'POST' && /clear-metadata-by-key/.test(req.url ?? '') && lost++ === 0
        ? { kind: 'done-then-reset' }
        : undefined,
    );
    const viaProxy = { ...env(), EDGE_IMPULSE_BASE_URL: `${proxy.url}/v1` };
    const run = (args: string[]) => runCli(args, { env: viaProxy, cwd: dir, timeoutMs: 60_000 });
    try {
      const clear = await run([...CLEAR, '--key', 'batch', '--backup', 'b.jsonl']);
      expect(clear.code).toBe(1);
      // One call, not retried: a second would start a job of its own.
      expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(sandbox.edgeImpulse.jobs(PROJECT)).toHaveLength(1);
      expect(clear.stderr).toMatch(/may have started a job this backup cannot name/);
      expect(backupLines().filter((l) => 'lostAnswer' in l)).toHaveLength(1);

      const refused = await run(['restore', 'b.jsonl']);
      expect(refused.code).toBe(75);
      expect(refused.stderr).toMatch(/--lost-jobs-ended/);
      expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

      // The operator sees the project's jobs end, then says so.
      await finishAllJobs();
      const restored = await run(['restore', 'b.jsonl', '--lost-jobs-ended']);
      expect(restored.code).toBe(0);
      expect(state()).toEqual(before);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

describe('what the restore leaves undone ends it non-zero', () => {
  it('changed since the backup and gone: listed, exit 3, "ok": false; --force puts back the changed one', async () => {
    seed();
    expect((await ei([...CLEAR, '--key', 'batch', '--backup', 'b.jsonl', '--wait'])).code).toBe(0);
    sandbox.edgeImpulse.setSampleMetadata(PROJECT, 7, 'batch', 'edited');
    expect(sandbox.edgeImpulse.removeSample(PROJECT, 9)).toBe(true);
    // A dry run sends nothing, and ends as the run would: 3, as the Oracle restore's dry run does.
    const posts = sandbox.requests.filter((r) => r.method === 'POST').length;
    const dry = await ei(['restore', 'b.jsonl', '--dry-run']);
    expect(dry.code).toBe(3);
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(posts);
    const text = await ei(['restore', 'b.jsonl']);
    expect(text.code).toBe(3);
    expect(text.stderr).toContain(
      'sample 7: changed since the backup (now "edited"), left as it is (--force overwrites it)',
    );
    expect(text.stderr).toContain('sample 9: no longer exists');
    expect(text.stdout).toContain(
      '1 changed since the backup, left as they are (--force overwrites them); 1 no longer exist',
    );
    const json = await ei(['restore', 'b.jsonl', '--json']);
    expect(json.code).toBe(3);
    expect(documentOf(json.stdout)).toMatchObject({
      ok: false,
      exitCode: 3,
      changed: 1,
      missing: 1,
      undone: [
        { id: 9, value: 'b0', outcome: 'missing' },
        { id: 7, value: 'b1', outcome: 'changed', current: 'edited' },
      ],
    });
    const forced = await ei(['restore', 'b.jsonl', '--force', '--json']);
    expect(forced.code).toBe(3);
    expect(documentOf(forced.stdout)).toMatchObject({ restored: 1, changed: 0, missing: 1 });
    expect(sandbox.edgeImpulse.sample(PROJECT, 7)?.metadata.batch).toBe('b1');
  }, 60_000);
});

describe('listing by the server’s count', () => {
  it('a server that answers fewer samples than asked: the clear covers them all, the restore finds them all', async () => {
    seed();
    const before = state();
    sandbox.edgeImpulse.capListLimit(7);
    const clear = await ei([...CLEAR, '--key', 'batch', '--backup', 'b.jsonl', '--wait', '--json']);
    expect(clear.code).toBe(0);
    expect(documentOf(clear.stdout)).toMatchObject({ selected: 120, cleared: 120 });
    expect(backupLines().filter((l) => 'id' in l)).toHaveLength(120);
    expect(sandbox.edgeImpulse.samples(PROJECT).every((s) => s.metadata.batch === undefined)).toBe(true);
    // Every page asked for more than it got, and none asked by offset.
    const lists = sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/raw-data'));
    expect(lists.length).toBeGreaterThanOrEqual(Math.ceil(120 / 7));
    expect(lists.every((r) => r.query.offset === undefined && r.query.sortBy === 'id-desc')).toBe(true);

    const restore = await ei(['restore', 'b.jsonl', '--json']);
    expect(restore.code).toBe(0);
    expect(documentOf(restore.stdout)).toMatchObject({ ok: true, entries: 120, restored: 120, missing: 0 });
    await finishAllJobs();
    expect(state()).toEqual(before);
  }, 60_000);
});

describe('a small backup in a large project', () => {
  it('reads the backup’s own samples (their range, then one ID at a time), not the project', async () => {
    sandbox.edgeImpulse.addSamples(
      PROJECT,
      Array.from({ length: 5000 }, (_, i) => ({ id: i + 1, metadata: i % 2 ? { batch: 'kept' } : {} })),
    );
    const entries = [
      { id: 4991, value: 'x' },
      { id: 2501, value: 'y' },
      { id: 11, value: 'z' },
    ];
    const header = {
      metaclear: 'backup',
      version: 1,
      api: 'edge-impulse',
      baseUrl: sandbox.edgeImpulseBaseUrl,
      target: { projectId: PROJECT, category: 'training', metadataKey: 'batch' },
      created: '2026-12-07T00:00:00.000Z',
    };
    writeFileSync(join(dir, 'small.jsonl'), `${[header, ...entries].map((l) => JSON.stringify(l)).join('\n')}\n`);
    const restore = await ei(['restore', 'small.jsonl']);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toBe(
      'Restored 3 samples of 3 entries in small.jsonl (3 calls); read back: 3 hold their backed-up value.\n',
    );
    for (const { id, value } of entries) expect(sandbox.edgeImpulse.sample(PROJECT, id)?.metadata.batch).toBe(value);
    const lists = sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/raw-data'));
    // Each read: one page of the entries' range, then the two IDs below it one at a time; twice (before, read back).
    expect(lists.map((r) => [r.query.minId, r.query.maxId, r.query.limit])).toEqual([
      ['11', '4992', '1000'],
      ['2501', '2502', '1'],
      ['11', '12', '1'],
      ['11', '4992', '1000'],
      ['2501', '2502', '1'],
      ['11', '12', '1'],
    ]);
  }, 60_000);
});
