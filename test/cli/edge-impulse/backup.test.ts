/**
 * `edge-impulse clear-metadata` with its preview, --max-affected and backup, and `metaclear restore`:
 * the built CLI against the sandbox, over HTTP, with real files.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runCli } from '../../helpers/cli.js';
import { startFaultProxy } from '../../helpers/fault-proxy.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-ei-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = (baseUrl = sandbox.edgeImpulseBaseUrl) => ({
  EDGE_IMPULSE_API_KEY: 'ei-backup-key-1',
  EDGE_IMPULSE_BASE_URL: baseUrl,
});
const ei = (args: string[], baseUrl?: string) => runCli(args, { env: env(baseUrl), cwd: dir });
const CLEAR = ['edge-impulse', 'clear-metadata', '--project', '1', '--category', 'training', '--key', 'site'];

/** 30 training samples: ids 1-30; label idle on the odd ones; site on two of every three. */
function seed(): void {
  sandbox.edgeImpulse.addSamples(
    1,
    Array.from({ length: 30 }, (_, i) => ({
      id: i + 1,
      label: (i + 1) % 2 === 1 ? 'idle' : 'wave',
      metadata: (i + 1) % 3 === 0 ? { other: 'o' } : { site: `s${(i + 1) % 4}`, other: 'o' },
    })),
  );
  sandbox.edgeImpulse.addSamples(1, [{ id: 31, label: 'idle', category: 'testing', metadata: { site: 'test' } }]);
}

const state = () => Object.fromEntries(sandbox.edgeImpulse.samples(1).map((s) => [s.id, { ...s.metadata }]));
const idleWithSite = () =>
  sandbox.edgeImpulse
    .samples(1)
    .filter((s) => s.category === 'training' && s.label === 'idle' && s.metadata.site !== undefined);
const changes = () => sandbox.requests.filter((r) => r.method !== 'GET');

describe('--dry-run: a preview with the server’s own figures', () => {
  it('counts the matching samples and those that hold the key, shows a few values, and changes nothing', async () => {
    seed();
    const before = state();
    const run = await ei([...CLEAR, '--label', 'idle', '--dry-run']);
    expect(run.code).toBe(0);
    const holders = idleWithSite();
    expect(holders).toHaveLength(10);
    expect(run.stdout).toContain('the server counts 15 matching samples (countSamples)');
    expect(run.stdout).toContain('15 selected, 10 hold the key: the clear would remove its value from 10 samples');
    // The examples are real samples with their real values.
    const examples = [...run.stdout.matchAll(/sample (\d+): "([^"]*)"/g)];
    expect(examples.length).toBe(5);
    for (const [, id, value] of examples) expect(sandbox.edgeImpulse.sample(1, Number(id))?.metadata.site).toBe(value);
    // The clear it would send selects exactly those samples by ids; only reads went out.
    const printed = /^POST (\S+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(JSON.parse(new URL(printed).searchParams.get('ids') ?? '[]').sort()).toEqual(
      holders.map((s) => s.id).sort(),
    );
    expect(changes()).toEqual([]);
    expect(state()).toEqual(before);
    expect(run.stderr).toBe('dry run: 1 request printed; only reads were sent, nothing was changed\n');
  });

  it('--json: the preview document, then the request documents', async () => {
    seed();
    const run = await ei([...CLEAR, '--label', 'idle', '--dry-run', '--json']);
    const [preview, ...requests] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(preview).toMatchObject({ dryRun: true, preview: { serverCount: 15, selected: 15, withKey: 10 } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ dryRun: true, method: 'POST' });
  });

  it('applies --ids and --exclude-ids, which the read operations lack, to the listing', async () => {
    seed();
    const run = await ei([...CLEAR, '--exclude-ids', '1,2', '--dry-run']);
    // 30 training samples, 20 with site; 1 and 2 both hold it.
    expect(run.stdout).toContain('the server counts 30 matching samples');
    expect(run.stdout).toContain('28 selected, 18 hold the key');
  });
});

describe('--max-affected', () => {
  it('refuses a run that would change more samples, with exit 2, and leaves no backup and no change', async () => {
    seed();
    const before = state();
    const run = await ei([...CLEAR, '--label', 'idle', '--max-affected', '9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the clear would change 10 samples, more than --max-affected 9; nothing was cleared');
    expect(changes()).toEqual([]);
    expect(state()).toEqual(before);
    expect(readdirSync(dir)).toEqual([]);
    expect((await ei([...CLEAR, '--label', 'idle', '--max-affected', '10', '--backup', 'b.jsonl'])).code).toBe(0);
  });
});

describe('a backup before the clear, and restore', () => {
  it('backs up exactly the values it clears, clears exactly those samples, and restore puts back the state', async () => {
    seed();
    const before = state();
    const holders = idleWithSite().map((s) => ({ id: s.id, value: s.metadata.site }));
    const run = await ei([...CLEAR, '--label', 'idle', '--wait']);
    expect(run.code).toBe(0);
    const [, path, restore] =
      /^Backup: (\S+) \(10 values\)\. Undo with: (metaclear restore \S+)$/m.exec(run.stdout) ?? [];
    expect(path).toMatch(/metaclear-backup-edge-impulse-1-.*\.jsonl$/);
    const [header, ...entries] = readFileSync(path as string, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({
      metaclear: 'backup',
      version: 2,
      api: 'edge-impulse',
      baseUrl: sandbox.edgeImpulseBaseUrl,
      target: { projectId: 1, category: 'training', metadataKey: 'site' },
    });
    expect(JSON.stringify(header)).not.toContain('ei-backup-key-1');
    expect(entries.sort((a, b) => a.id - b.id)).toEqual(holders.sort((a, b) => a.id - b.id));
    expect(idleWithSite()).toEqual([]);
    // Nothing else changed: the wave samples and the testing sample keep their site.
    const after = state();
    for (const [id, metadata] of Object.entries(before)) {
      if (!holders.some((h) => h.id === Number(id))) expect(after[id]).toEqual(metadata);
    }
    // The printed command runs as printed.
    const args = (restore as string).split(' ').slice(1);
    const restored = await ei(args);
    expect(restored.code).toBe(0);
    expect(restored.stdout.startsWith(`Restored 10 samples of 10 entries in ${path} (`)).toBe(true);
    expect(restored.stdout).toMatch(/ \(\d+ calls?\); read back: 10 hold their backed-up value\.\n$/);
    expect(state()).toEqual(before);
    // Idempotent: again, nothing is sent that changes anything.
    const writes = changes().length;
    const again = await ei(args);
    expect(again.stdout).toContain('Restored 0 samples of 10 entries');
    expect(again.stdout).toContain('read back: 10 hold their backed-up value');
    expect(changes().length).toBe(writes);
  });

  it('restore sends one call per distinct value, however the values are interleaved in the backup', async () => {
    // 300 samples, three values taking turns: each value's 100 samples make one call of 100 IDs.
    sandbox.edgeImpulse.addSamples(
      1,
      Array.from({ length: 300 }, (_, i) => ({ id: i + 1, label: 'idle', metadata: { site: `v${i % 3}` } })),
    );
    const before = state();
    const run = await ei([...CLEAR, '--backup', 'b.jsonl', '--wait']);
    expect(run.code).toBe(0);
    const added = sandbox.edgeImpulse.addOperations(1).length;
    const restored = await ei(['restore', 'b.jsonl']);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toBe(
      'Restored 300 samples of 300 entries in b.jsonl (3 calls); read back: 300 hold their backed-up value.\n',
    );
    const calls = sandbox.edgeImpulse.addOperations(1).slice(added);
    expect(calls.map((c) => [c.metadataValue, c.matchedSampleIds.length]).sort()).toEqual([
      ['v0', 100],
      ['v1', 100],
      ['v2', 100],
    ]);
    expect(state()).toEqual(before);
  });

  it('a sample added between the listing and the clear keeps its value', async () => {
    seed();
    let added = false;
    const proxy = await startFaultProxy(new URL(sandbox.edgeImpulseBaseUrl).origin, (request) => {
      if (request.method === 'POST' && !added) {
        added = true;
        sandbox.edgeImpulse.addSamples(1, [{ id: 99, label: 'idle', metadata: { site: 'late' } }]);
      }
      return undefined;
    });
    try {
      const run = await ei([...CLEAR, '--label', 'idle', '--backup', 'b.jsonl'], `${proxy.url}/v1`);
      expect(run.code).toBe(0);
      expect(added).toBe(true);
      expect(sandbox.edgeImpulse.sample(1, 99)?.metadata).toEqual({ site: 'late' });
      expect(idleWithSite().map((s) => s.id)).toEqual([99]);
    } finally {
      await proxy.close();
    }
  });

  it('restore leaves a value changed since the backup unless --force, lists it and the samples gone, exit 3', async () => {
    seed();
    const run = await ei([...CLEAR, '--label', 'idle', '--backup', 'b.jsonl', '--wait']);
    expect(run.code).toBe(0);
    sandbox.edgeImpulse.setSampleMetadata(1, 1, 'site', 'changed');
    expect(sandbox.edgeImpulse.removeSample(1, 5)).toBe(true);
    const restored = await ei(['restore', 'b.jsonl']);
    expect(restored.code).toBe(3);
    expect(restored.stdout).toBe(
      `Restored 8 samples of 10 entries in b.jsonl (${restored.stdout.match(/\((\d+ calls?)\)/)?.[1]}); read back: 8 hold their backed-up value; 1 changed since the backup, left as they are (--force overwrites them); 1 no longer exist.\n` +
        'The samples listed above were left as they are: look at them (--force overwrites those changed since the backup).\n',
    );
    expect(restored.stderr).toContain('  sample 1: changed since the backup (now "changed"), left as it is');
    expect(restored.stderr).toContain('  sample 5: no longer exists');
    expect(sandbox.edgeImpulse.sample(1, 1)?.metadata.site).toBe('changed');
    const forced = await ei(['restore', 'b.jsonl', '--force', '--json']);
    expect(forced.code).toBe(3);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      command: 'edge-impulse restore',
      ok: false,
      exitCode: 3,
      undone: [{ id: 5, outcome: 'missing' }],
      entries: 10,
      restored: 1,
      unchanged: 8,
      changed: 0,
      missing: 1,
    });
    expect(sandbox.edgeImpulse.sample(1, 1)?.metadata.site).toBe('s1');
  });

  it('--no-backup is the single filter call, and says so; nothing is written', async () => {
    seed();
    const run = await ei([...CLEAR, '--label', 'idle', '--no-backup', '--wait']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no backup: --no-backup');
    expect(changes()).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses before sending anything: an existing backup path, a category that cannot be listed, a backup from elsewhere', async () => {
    seed();
    writeFileSync(join(dir, 'taken.jsonl'), 'keep me\n');
    const taken = await ei([...CLEAR, '--backup', 'taken.jsonl']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('--backup taken.jsonl already exists; a backup is never overwritten');
    expect(readFileSync(join(dir, 'taken.jsonl'), 'utf8')).toBe('keep me\n');

    const validation = await ei([
      'edge-impulse',
      'clear-metadata',
      '--project',
      '1',
      '--category',
      'validation',
      '--key',
      'site',
    ]);
    expect(validation.code).toBe(2);
    expect(validation.stderr).toContain('add --no-backup');

    const notBackup = await ei(['restore', 'taken.jsonl']);
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr).toContain('is not a metaclear backup');

    await ei([...CLEAR, '--label', 'idle', '--backup', 'b.jsonl', '--wait']);
    const elsewhere = await ei(['restore', 'b.jsonl'], 'http://127.0.0.1:9/v1');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`was taken from ${sandbox.edgeImpulseBaseUrl}`);
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    expect(existsSync(join(dir, 'b.jsonl'))).toBe(true);
  });
});
