/**
 * 10,000 files, cleared with a backup and restored, through a proxy that answers 5xx and resets
 * connections, with the CLI killed (SIGKILL) in the middle of the clear and of the restore, each
 * resumed with the same command: every file ends with exactly the values it had before. The kill
 * point is a request count seen by the proxy, never a time. The built CLI, the sandbox, over HTTP.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, type CliResult, startCli } from '../../helpers/cli.js';
import { type Fault, startFaultProxy } from '../../helpers/fault-proxy.js';

const FILES = 10_000;
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-ocm-faults-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Files in three folders that set inherited values; each file has, of its own in collection C, both
 * fields, one of them, or none, and a value in another collection.
 */
function seed(): string[] {
  for (const id of ['D0', 'D1', 'D2'])
    sandbox.oracle.addFolder({ id, collections: { C: { A: `${id}-a`, B: `${id}-b` } } });
  const ids: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const id = `FILE${String(i).padStart(5, '0')}`;
    const own: Record<string, string> = {};
    if (i % 4 !== 3) own.A = `a-${i}`;
    if (i % 3 !== 2) own.B = `b ${i % 17}`;
    sandbox.oracle.addFile({
      id,
      owner: 'operator',
      folder: `D${i % 3}`,
      collections: { C: own, Other: { A: `other-${i}` } },
    });
    ids.push(id);
  }
  return ids;
}

const state = () => Object.fromEntries(sandbox.oracle.files().map((f) => [f.id, f.collections]));

/**
 * One proxy for every run (the backup binds its base URL). The first attempt of some requests fails
 * (a 500, 502 or 503 answer, or a reset connection); the client's retries get them through. When the
 * proxy has seen the request numbered `killAt`, the running CLI is killed (and that request cut off).
 */
function faultFor(method: string | undefined, n: number): Fault {
  if (method === 'GET' && n % 41 === 0) return { kind: 'status', status: 500 };
  if (method === 'GET' && n % 59 === 0) return { kind: 'reset' };
  if (method === 'DELETE' && n % 43 === 0) return { kind: 'reset' };
  if (method === 'DELETE' && n % 61 === 0) return { kind: 'status', status: 502 };
  if (method === 'POST' && n % 47 === 0) return { kind: 'status', status: 503 };
  if (method === 'POST' && n % 53 === 0) return { kind: 'reset' };
  return undefined;
}

async function faultyProxy() {
  const attempts = new Map<string, number>();
  const control = { seen: 0, killAt: 0, injected: 0, cli: undefined as ReturnType<typeof startCli> | undefined };
  const proxy = await startFaultProxy(new URL(sandbox.oracleBaseUrl).origin, (request): Fault => {
    control.seen++;
    if (control.seen === control.killAt) {
      control.cli?.child.kill('SIGKILL');
      return { kind: 'reset' };
    }
    const key = `${request.method} ${request.url}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (attempt > 1) return undefined;
    const fault = faultFor(request.method, Number(/FILE(\d+)/.exec(request.url ?? '')?.[1] ?? -1));
    if (fault) control.injected++;
    return fault;
  });
  /** Runs the CLI through the proxy, killed with SIGKILL at its `killAfter`-th request from now (0: never). */
  const run = (args: string[], killAfter: number): Promise<CliResult> => {
    control.killAt = killAfter === 0 ? 0 : control.seen + killAfter;
    control.cli = startCli(args, {
      env: {
        OCM_BASE_URL: `${proxy.url}/documents/api/1.1`,
        OCM_USERNAME: 'operator',
        OCM_PASSWORD: 'fault-password-1',
      },
      cwd: dir,
      timeoutMs: 150_000,
    });
    return control.cli.result;
  };
  return { run, injected: () => control.injected, close: () => proxy.close() };
}

it('a 10,000-file clear with faults and a SIGKILL, resumed, then a restore killed and resumed: every file as before', async () => {
  const proxy = await faultyProxy();
  try {
    await scenario(proxy.run);
    // Of the kinds above: about 400 reads, 300 DELETEs and 350 assigns failed their first attempt.
    expect(proxy.injected()).toBeGreaterThan(800);
  } finally {
    await proxy.close();
  }
}, 240_000);

async function scenario(runThrough: (args: string[], killAfter: number) => Promise<CliResult>): Promise<void> {
  const ids = seed();
  writeFileSync(join(dir, 'ids.txt'), `${ids.join('\n')}\n`);
  const before = structuredClone(state());
  const clear = [
    'oracle',
    'delete-metadata',
    '--collection',
    'C',
    '--field',
    'A',
    '--field',
    'B',
    '--files-from',
    'ids.txt',
    '--journal',
    'clear.journal',
    '--failed-out',
    'failed.txt',
    '--overwrite',
  ];

  // About half way through the clear's ~17,500 requests (a read per file, a DELETE per file with values).
  const killed = await runThrough(clear, 9_000);
  expect(killed.signal).toBe('SIGKILL');
  const clearedThen = Object.values(state()).filter((c) => Object.keys(c.C ?? {}).length === 0).length;
  expect(clearedThen).toBeGreaterThan(0);
  expect(clearedThen).toBeLessThan(FILES);

  const resumed = await runThrough(clear, 0);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toMatch(/ skipped \(done in an earlier run, per the journal\)/);
  const backupPath = join(dir, 'clear.journal.backup.jsonl');
  expect(resumed.stdout).toContain(`Undo with: metaclear restore ${backupPath}`);
  // Every file's own values of A and B are gone; the inherited ones and the other collection stay.
  for (const [id, collections] of Object.entries(state())) {
    expect(collections.C).toEqual({});
    expect(collections.Other).toEqual(before[id]?.Other);
  }
  // The backup holds every file that had a value, under one header.
  const lines = readFileSync(backupPath, 'utf8').trimEnd().split('\n');
  expect(lines.filter((l) => l.includes('"metaclear":"backup"'))).toHaveLength(1);
  const backedUp = new Set(lines.slice(1).map((l) => (JSON.parse(l) as { fileId: string }).fileId));
  expect(backedUp.size).toBe(ids.filter((_, i) => i % 4 !== 3 || i % 3 !== 2).length);

  const restore = ['restore', backupPath, '--journal', 'restore.journal'];
  const restoreKilled = await runThrough(restore, 8_000);
  expect(restoreKilled.signal).toBe('SIGKILL');
  const restoreResumed = await runThrough(restore, 0);
  expect(restoreResumed.stderr).toBe('');
  expect(restoreResumed.code).toBe(0);
  expect(restoreResumed.stdout).not.toContain('changed since');
  expect(state()).toEqual(before);
}
