/**
 * A bulk `oracle delete-metadata` run with its preview (--dry-run), --max-affected and backup, and
 * `metaclear restore <backup>` of it: the built CLI against the sandbox, over HTTP, with real files.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runCli } from '../../helpers/cli.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-ocm-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const USER = 'operator';
const env = () => ({ OCM_BASE_URL: sandbox.oracleBaseUrl, OCM_USERNAME: USER, OCM_PASSWORD: 'ocm-backup-password-1' });
const cli = (args: string[]) => runCli(args, { env: env(), cwd: dir });
const CLEAR = ['oracle', 'delete-metadata', '--collection', 'C', '--field', 'A', '--field', 'B'];

/**
 * Six files in folder D, whose collection C sets A=inherited and B=inherited: F1 has A and B of its
 * own, F2 only A, F3 none (it sees the folder's), F4 its own A and another field Z; F5 is not
 * assigned C; F6 has A=0-like values ('', a space).
 */
function seed(): void {
  sandbox.oracle.addFolder({ id: 'D', collections: { C: { A: 'inherited', B: 'inherited' } } });
  const file = (id: string, collections: Record<string, Record<string, string>>) =>
    sandbox.oracle.addFile({ id, owner: USER, folder: 'D', collections });
  file('F1', { C: { A: 'a1', B: 'b1' } });
  file('F2', { C: { A: 'a2' } });
  file('F3', { C: {} });
  file('F4', { C: { A: 'a4', Z: 'z4' } });
  file('F5', { Other: { A: 'x' } });
  file('F6', { C: { A: '', B: ' ' } });
  writeFileSync(join(dir, 'ids.txt'), 'F1\nF2\nF3\nF4\nF5\nF6\n');
}

const state = () => Object.fromEntries(sandbox.oracle.files().map((f) => [f.id, structuredClone(f.collections)]));
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');
const backupLines = (name: string) =>
  readFileSync(join(dir, name), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('--dry-run: each file’s own values, and the totals', () => {
  it('reads with directAssigned=1 (an inherited value is not the file’s), prints the DELETEs, sends no write', async () => {
    seed();
    const before = state();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--dry-run', '--concurrency', '1']);
    expect(run.code).toBe(0);
    expect(writes()).toEqual([]);
    expect(state()).toEqual(before);
    const reads = sandbox.requests.filter((r) => r.method === 'GET');
    expect(reads).toHaveLength(6);
    for (const read of reads) expect(read.query).toEqual({ directAssigned: '1' });
    expect(run.stdout).toContain('  F1: A "a1", B "b1"\n');
    expect(run.stdout).toContain('  F2: A "a2"\n');
    expect(run.stdout).toContain('  F3: no value of its own in these fields\n');
    expect(run.stdout).toContain('  F4: A "a4"\n');
    expect(run.stdout).toContain('  F5: no value of its own in these fields\n');
    expect(run.stdout).toContain('  F6: A "", B " "\n');
    // The DELETE each file would get names exactly the fields that hold a value of its own.
    const deletes = [...run.stdout.matchAll(/^DELETE \S+\/files\/(\w+)\/metadata\n(?:.*\n)*?\n(\{.*\})$/gm)].map(
      (m) => [m[1], JSON.parse(m[2] as string).fields],
    );
    expect(deletes).toEqual([
      ['F1', 'A,B'],
      ['F2', 'A'],
      ['F4', 'A'],
      ['F6', 'A,B'],
    ]);
    expect(run.stdout).toMatch(
      /^6 files read, 4 with a value of their own in these fields: the run would remove 6 values from 4 files\.$/m,
    );
    expect(run.stderr).toBe('dry run: 4 requests printed; only reads were sent, nothing was changed\n');
    expect(readdirSync(dir)).toEqual(['ids.txt']);
  });

  it('--json: a document per file, its request, then the totals', async () => {
    seed();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const docs = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(docs.filter((d) => 'values' in d).sort((a, b) => (a.fileId < b.fileId ? -1 : 1))).toEqual([
      { dryRun: true, fileId: 'F1', values: { A: 'a1', B: 'b1' } },
      { dryRun: true, fileId: 'F2', values: { A: 'a2' } },
      { dryRun: true, fileId: 'F3', values: {} },
      { dryRun: true, fileId: 'F4', values: { A: 'a4' } },
      { dryRun: true, fileId: 'F5', values: {} },
      { dryRun: true, fileId: 'F6', values: { A: '', B: ' ' } },
    ]);
    expect(docs.filter((d) => d.method === 'DELETE')).toHaveLength(4);
    expect(docs.at(-1)).toEqual({ dryRun: true, preview: { files: 6, withValues: 4, values: 6, failed: 0 } });
  });

  it('with --max-affected below the count, the dry run says the run would be refused (exit 2)', async () => {
    seed();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--dry-run', '--max-affected', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'error: the run would change 4 files, more than --max-affected 3; nothing was cleared',
    );
    expect(writes()).toEqual([]);
  });
});

describe('--max-affected: a read pass over the whole input before any clear', () => {
  it('refuses a run that would change more files, before anything is cleared; the error says the count and the limit', async () => {
    seed();
    const before = state();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--max-affected', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: the run would change 4 files, more than --max-affected 3; nothing was cleared$/m,
    );
    expect(writes()).toEqual([]);
    expect(state()).toEqual(before);
    expect(readdirSync(dir)).toEqual(['ids.txt']);
  });

  it('lets a run within the limit go on: every file read twice (the count, then the backup), then cleared', async () => {
    seed();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--max-affected', '4', '--backup', 'b.jsonl']);
    expect(run.code).toBe(0);
    expect(sandbox.requests.filter((r) => r.method === 'GET')).toHaveLength(12);
    expect(writes()).toHaveLength(4);
  });

  it('needs an input it can read twice: --files-from - is refused, nothing sent', async () => {
    const run = await runCli([...CLEAR, '--files-from', '-', '--max-affected', '3'], {
      env: env(),
      cwd: dir,
      stdin: 'F1\n',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--max-affected reads every file before the first clear, so it needs --files-from <path>',
    );
    expect(sandbox.requests).toEqual([]);
  });
});

describe('the backup, before every clear', () => {
  it('holds each file’s own values of the fields; only those fields are cleared; inherited values show again', async () => {
    seed();
    const before = state();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl']);
    expect(run.code).toBe(0);
    const [header, ...entries] = backupLines('b.jsonl');
    expect(header).toMatchObject({
      metaclear: 'backup',
      version: 2,
      api: 'oracle-documents',
      baseUrl: sandbox.oracleBaseUrl,
      target: { collection: 'C', fields: ['A', 'B'] },
    });
    expect(JSON.stringify(header)).not.toContain('ocm-backup-password-1');
    // Each entry, then the outcome of its DELETE (the line it names is the entry's).
    const outcomes = entries.filter((e) => 'clear' in e);
    expect(outcomes).toHaveLength(4);
    for (const outcome of outcomes) {
      expect(outcome.clear).toBe('done');
      expect(entries[outcome.line - 2]).toEqual({ fileId: outcome.fileId, values: expect.any(Object) });
    }
    expect(entries.filter((e) => !('clear' in e)).sort((a, b) => (a.fileId < b.fileId ? -1 : 1))).toEqual([
      { fileId: 'F1', values: { A: 'a1', B: 'b1' } },
      { fileId: 'F2', values: { A: 'a2' } },
      { fileId: 'F4', values: { A: 'a4' } },
      { fileId: 'F6', values: { A: '', B: ' ' } },
    ]);
    const after = state();
    expect(after.F1?.C).toEqual({});
    expect(after.F4?.C).toEqual({ Z: 'z4' });
    expect(after.F3).toEqual(before.F3);
    expect(after.F5).toEqual(before.F5);
    // No DELETE to a file with nothing of its own: its inherited values were never at risk.
    expect(writes().map((r) => [r.path.split('/')[5], (r.body as { fields: string }).fields])).toEqual(
      expect.arrayContaining([
        ['F1', 'A,B'],
        ['F2', 'A'],
        ['F4', 'A'],
        ['F6', 'A,B'],
      ]),
    );
    expect(writes()).toHaveLength(4);
    expect(run.stdout).toBe(
      `6 files: 6 succeeded, 0 failed.\nBackup: ${join(dir, 'b.jsonl')} (4 files). Undo with: metaclear restore ${join(dir, 'b.jsonl')}\n`,
    );
  });

  it('every entry is on disk before its DELETE is sent', async () => {
    seed();
    const seen: boolean[] = [];
    // Checked at each DELETE, as the server receives it.
    const { startFaultProxy } = await import('../../helpers/fault-proxy.js');
    const proxy = await startFaultProxy(new URL(sandbox.oracleBaseUrl).origin, (request) => {
      if (request.method === 'DELETE') {
        const fileId = request.url?.split('/')[5];
        const text = existsSync(join(dir, 'b.jsonl')) ? readFileSync(join(dir, 'b.jsonl'), 'utf8') : '';
        seen.push(text.includes(`{"fileId":"${fileId}"`));
      }
      return undefined;
    });
    try {
      const run = await runCli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl'], {
        env: { ...env(), OCM_BASE_URL: `${proxy.url}/documents/api/1.1` },
        cwd: dir,
      });
      expect(run.code).toBe(0);
    } finally {
      await proxy.close();
    }
    expect(seen).toEqual([true, true, true, true]);
  });

  /** 1,500 files whose values fill a backup past 40 blocks of 512 bytes after about 200 entries. */
  const seedForLimit = (): string[] => {
    const files = Array.from({ length: 1500 }, (_, i) => `LIM${String(i).padStart(4, '0')}`);
    for (const [i, id] of files.entries()) {
      sandbox.oracle.addFile({ id, owner: USER, collections: { C: { A: `value ${i} ${'x'.repeat(60)}`, B: 'b' } } });
    }
    writeFileSync(join(dir, 'lim.txt'), `${files.join('\n')}\n`);
    return files;
  };
  /** The clear of lim.txt with `flags`, under a file-size limit of 40 blocks (as on a full disk). */
  const clearUnderLimit = (flags: string) =>
    new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const cliPath = `${JSON.stringify(process.execPath)} ${JSON.stringify(builtCli())}`;
      const child = spawn(
        'sh',
        [
          '-c',
          `trap '' XFSZ; ulimit -f 40; exec ${cliPath} oracle delete-metadata --collection C --field A --field B --files-from lim.txt ${flags}`,
        ],
        { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env() } },
      );
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.resume();
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });

  it('a backup cut short by a write that failed is resumed whole: the resumed run and the restore give back every value', async () => {
    seedForLimit();
    const before = state();
    const run = await clearUnderLimit('--journal run.journal');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: cannot write .*run\.journal/m);
    // The same command without the limit finishes the clear, appending to the backup.
    const resumed = await cli([...CLEAR, '--files-from', 'lim.txt', '--journal', 'run.journal']);
    expect(resumed.code).toBe(0);
    // Every line of the backup is whole: a line cut by the limit did not stay in its middle.
    const lines = readFileSync(join(dir, 'run.journal.backup.jsonl'), 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const restored = await cli(['restore', 'run.journal.backup.jsonl']);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(state()).toEqual(before);
  });

  it('a resume that names the fields in another order is the same run: its journal and backup are taken', async () => {
    seed();
    const first = await cli([...CLEAR, '--files-from', 'ids.txt', '--journal', 'run.journal']);
    expect(first.code).toBe(0);
    const reordered = ['oracle', 'delete-metadata', '--collection', 'C', '--field', 'B', '--field', 'A'];
    const again = await cli([...reordered, '--files-from', 'ids.txt', '--journal', 'run.journal']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 files: 0 succeeded, 0 failed, 6 skipped/m);
  });

  it('a backup that cannot be written (ulimit -f) stops the run; no value is cleared that the backup does not hold', async () => {
    const files = seedForLimit();
    const before = state();
    const run = await clearUnderLimit('--backup lim.jsonl --failed-out failed.txt');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: cannot write .*lim\.jsonl \(EFBIG\)/m);
    const held = new Map<string, unknown>();
    for (const line of readFileSync(join(dir, 'lim.jsonl'), 'utf8').split('\n').slice(1)) {
      try {
        const entry = JSON.parse(line) as { fileId: string; values: unknown };
        if (entry.values !== undefined) held.set(entry.fileId, entry.values);
      } catch {
        // The entry cut short by the limit: its file was not cleared (checked below).
      }
    }
    const cleared = files.filter((id) => Object.keys(sandbox.oracle.file(id)?.collections.C ?? {}).length === 0);
    expect(cleared.length).toBeGreaterThan(0);
    expect(cleared.length).toBeLessThan(files.length);
    for (const id of cleared) expect(held.get(id)).toEqual(before[id]?.C);
    // And the restore puts every one of them back.
    const restored = await cli(['restore', 'lim.jsonl']);
    expect(restored.code).toBe(0);
    expect(state()).toEqual(before);
  });

  it('--no-backup clears every file with one DELETE each and says so in the summary', async () => {
    seed();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--no-backup']);
    expect(run.stdout).toContain('No backup (--no-backup): the values cleared cannot be restored by metaclear.');
    expect(sandbox.requests.filter((r) => r.method === 'GET')).toEqual([]);
    expect(writes()).toHaveLength(6);
    expect(readdirSync(dir).filter((n) => n.includes('backup'))).toEqual([]);
  });

  it('never overwrites an existing backup without a journal; a resumed run appends to its own', async () => {
    seed();
    writeFileSync(join(dir, 'b.jsonl'), 'precious\n');
    const refused = await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--backup b\.jsonl already exists; a backup is never overwritten/);
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe('precious\n');
    const another = await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl', '--journal', 'j']);
    expect(another.code).toBe(2);
    expect(another.stderr).toMatch(/--backup \S*b\.jsonl is not a metaclear backup/);
    expect(existsSync(join(dir, 'j'))).toBe(false);
    expect(sandbox.requests).toEqual([]);

    // With a journal and no --backup, the backup sits beside the journal; the same command resumes into it.
    writeFileSync(join(dir, 'first.txt'), 'F1\nF2\n');
    const first = await cli([...CLEAR, '--files-from', 'first.txt', '--journal', 'run.journal']);
    expect(first.code).toBe(0);
    writeFileSync(join(dir, 'first.txt'), 'F1\nF2\nF4\n');
    const resumed = await cli([...CLEAR, '--files-from', 'first.txt', '--journal', 'run.journal']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('2 skipped');
    const lines = backupLines('run.journal.backup.jsonl');
    expect(lines.filter((l) => l.metaclear === 'backup')).toHaveLength(1);
    expect(lines.slice(1).map((l) => l.fileId)).toEqual(expect.arrayContaining(['F1', 'F2', 'F4']));
    // The clear's journal is not the restore's: it would skip every file cleared.
    const wrong = await cli(['restore', 'run.journal.backup.jsonl', '--journal', 'run.journal']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--journal run\.journal is the journal of the run that wrote this backup/);
    // A different target in the same journal's backup is refused.
    const other = await cli([
      'oracle',
      'delete-metadata',
      '--collection',
      'C',
      '--field',
      'A',
      '--files-from',
      'first.txt',
      '--journal',
      'run.journal',
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/is the backup of another run/);
  });
});

describe('metaclear restore <backup> (Oracle)', () => {
  async function clearAll(): Promise<Record<string, unknown>> {
    seed();
    const before = state();
    const run = await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl']);
    expect(run.code).toBe(0);
    return before;
  }

  it('gives back exactly the state before; a second run changes nothing', async () => {
    const before = await clearAll();
    sandbox.requests.length = 0;
    const restored = await cli(['restore', 'b.jsonl']);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toBe('Restored 4 files of 4 entries in b.jsonl (4 calls).\n');
    expect(state()).toEqual(before);
    expect(writes().every((r) => r.method === 'POST')).toBe(true);
    sandbox.requests.length = 0;
    const again = await cli(['restore', 'b.jsonl', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ command: 'oracle restore', ok: true, restored: 0, unchanged: 4 });
    expect(writes()).toEqual([]);
    expect(state()).toEqual(before);
  });

  it('two entries for one file, whatever the concurrency: merged in backup order, the later value of a field wins, applied once', async () => {
    await clearAll();
    // A later run that read F1 again after someone set A (its DELETE may have gone out: no outcome
    // line) adds a second entry; B, cleared by the first run, was not set again.
    appendFileSync(join(dir, 'b.jsonl'), `${JSON.stringify({ fileId: 'F1', values: { A: 'later' } })}\n`);
    const run = await cli(['restore', 'b.jsonl', '--concurrency', '8', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ entries: 5, restored: 4, changed: 0, superseded: 1 });
    expect(sandbox.oracle.file('F1')?.collections.C).toEqual({ A: 'later', B: 'b1' });
  });

  it('--dry-run reads and prints the assigns, and sends no write', async () => {
    await clearAll();
    const cleared = state();
    sandbox.requests.length = 0;
    const run = await cli(['restore', 'b.jsonl', '--dry-run']);
    expect(run.code).toBe(0);
    expect(writes()).toEqual([]);
    expect(state()).toEqual(cleared);
    expect(run.stdout.match(/^POST \S+\/metadata$/gm)).toHaveLength(4);
    expect(run.stdout).toMatch(/^Would restore 4 files of 4 entries in b\.jsonl \(4 calls\)\.$/m);
    expect(run.stderr).toBe('dry run: 4 requests printed; only reads were sent, nothing was changed\n');
  });

  it('a file whose value changed since the backup is left as is and counted; --force overwrites it', async () => {
    const before = await clearAll();
    // After the clear, someone sets F1's A again.
    await fetch(`${sandbox.oracleBaseUrl}/files/F1/metadata`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${USER}:x`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ collection: 'C', A: 'newer' }),
    });
    expect(sandbox.oracle.file('F1')?.collections.C).toEqual({ A: 'newer' });
    const run = await cli(['restore', 'b.jsonl']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe(
      '  F1 (line 2): changed since the backup: A holds "newer" (backup "a1"); left as it is (--force overwrites it); B restored\n' +
        'Restored 3 files of 4 entries in b.jsonl (4 calls); 1 changed since the backup: the changed fields left as they are (--force overwrites them), the others restored.\n',
    );
    expect(sandbox.oracle.file('F1')?.collections.C).toEqual({ A: 'newer', B: 'b1' });
    const forced = await cli(['restore', 'b.jsonl', '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ restored: 1, unchanged: 3, changed: 0 });
    expect(state()).toEqual(before);
  });

  it('refuses a restore to another API root than the backup’s (exit 2, nothing sent)', async () => {
    await clearAll();
    sandbox.requests.length = 0;
    const run = await runCli(['restore', 'b.jsonl'], {
      env: { ...env(), OCM_BASE_URL: 'https://other.example.com/documents/api/1.1' },
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/was taken from http:\/\/127\.0\.0\.1:\d+\/documents\/api\/1\.1, not https:\/\/other/);
    expect(sandbox.requests).toEqual([]);
  });

  it('refuses an entry with a field the header does not name, saying which line, before any request (exit 2)', async () => {
    await clearAll();
    const text = readFileSync(join(dir, 'b.jsonl'), 'utf8');
    writeFileSync(join(dir, 'b.jsonl'), `${text}{"fileId":"F3","values":{"Z":"z"}}\n`);
    sandbox.requests.length = 0;
    const run = await cli(['restore', 'b.jsonl']);
    expect(run.code).toBe(2);
    expect(sandbox.requests).toEqual([]);
    expect(run.stderr).toMatch(
      /^error: b\.jsonl: line 10 has a value for field "Z", which the backup's header does not name \(A, B\)$/m,
    );
  });

  it('--journal: the same command skips the files done; a file that no longer exists is counted', async () => {
    const before = await clearAll();
    // An entry for a file that is gone since.
    writeFileSync(
      join(dir, 'b.jsonl'),
      `${readFileSync(join(dir, 'b.jsonl'), 'utf8')}{"fileId":"GONE","values":{"A":"g"}}\n`,
    );
    sandbox.requests.length = 0;
    const first = await cli(['restore', 'b.jsonl', '--journal', 'r.journal']);
    expect(first.code).toBe(3);
    expect(first.stdout).toMatch(
      /^ {2}GONE \(line 10\): no longer exists; not restored: A "g"\nRestored 4 files of 5 entries in b\.jsonl \(4 calls\); 1 no longer exist\.\n/,
    );
    // Exit 3 is not a run to finish: a resume would find the file gone again.
    expect(first.stdout).not.toMatch(/Run it again/);
    const again = await cli(['restore', 'b.jsonl', '--journal', 'r.journal', '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout.trimEnd().split('\n').at(-1) as string)).toMatchObject({
      entries: 5,
      skipped: 4,
      missing: 1,
      restored: 0,
      unchanged: 0,
    });
    // The files done were not even read again: a read, an assign and a read back each, in the first run only.
    expect(sandbox.requests.filter((r) => r.path.includes('/F'))).toHaveLength(12);
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(4);
    expect(state()).toEqual(before);
  });
});
