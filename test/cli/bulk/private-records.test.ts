/**
 * The records of a bulk clear hold customer data (values, file IDs): the backup, the journal and
 * the failed-IDs file are created private to their owner (0600), and an existing one that others
 * may read (a resume) is made private, which the summary says. The built CLI against the sandbox.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runCli } from '../../helpers/cli.js';

const USER = 'operator';
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-private-'));
  sandbox.oracle.addFile({ id: 'P1', owner: USER, collections: { C: { A: 'a1' } } });
  sandbox.oracle.addFile({ id: 'P2', owner: USER, collections: { C: { A: 'a2' } } });
  // P3 does not exist: its read fails, so the failed-IDs file is kept.
  writeFileSync(join(dir, 'ids.txt'), 'P1\nP2\nP3\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ OCM_BASE_URL: sandbox.oracleBaseUrl, OCM_USERNAME: USER, OCM_PASSWORD: 'private-password-1' });
const cli = (args: string[]) => runCli(args, { env: env(), cwd: dir });
const CLEAR = ['oracle', 'delete-metadata', '--collection', 'C', '--field', 'A', '--files-from', 'ids.txt'];
const mode = (name: string) => (statSync(join(dir, name)).mode & 0o777).toString(8);

describe('the records of a bulk clear are private to their owner', () => {
  it('a new backup, journal and failed-IDs file are created 0600, the default-named ones too', async () => {
    const defaults = await cli(CLEAR);
    expect(defaults.code).toBe(1);
    const made = readdirSync(dir).filter((name) => name.startsWith('metaclear-'));
    expect(made).toHaveLength(2);
    expect(made.map(mode)).toEqual(['600', '600']);
    sandbox.oracle.addFile({ id: 'P4', owner: USER, collections: { C: { A: 'a4' } } });
    writeFileSync(join(dir, 'ids.txt'), 'P4\nP3\n');
    const run = await cli([...CLEAR, '--backup', 'b.jsonl', '--journal', 'j.journal', '--failed-out', 'failed.txt']);
    expect(run.code).toBe(1);
    expect([mode('b.jsonl'), mode('j.journal'), mode('failed.txt')]).toEqual(['600', '600', '600']);
  });

  it('a journal and backup that others may read are made private on resume, and the summary says so', async () => {
    sandbox.oracle.addFile({ id: 'P3', owner: USER, collections: { C: { A: 'a3' } } });
    const first = await cli([...CLEAR, '--journal', 'j.journal']);
    expect(first.code).toBe(0);
    chmodSync(join(dir, 'j.journal'), 0o644);
    chmodSync(join(dir, 'j.journal.backup.jsonl'), 0o640);
    const resumed = await cli([...CLEAR, '--journal', 'j.journal']);
    expect(resumed.code).toBe(0);
    expect([mode('j.journal'), mode('j.journal.backup.jsonl')]).toEqual(['600', '600']);
    expect(resumed.stdout).toContain(
      `Made private (0600): ${join(dir, 'j.journal')} (it was 0644: others could read it).`,
    );
    expect(resumed.stdout).toMatch(/^Backup: .*j\.journal\.backup\.jsonl .*; made private \(0600\): it was 0640\./m);
  });

  it("a restore's journal that others may read is made private on resume, and the restore says so", async () => {
    const cleared = await cli([...CLEAR, '--backup', 'b.jsonl']);
    expect(cleared.code).toBe(1); // P3 does not exist
    const first = await cli(['restore', 'b.jsonl', '--journal', 'r.journal']);
    expect(first.code).toBe(0);
    expect(mode('r.journal')).toBe('600');
    chmodSync(join(dir, 'r.journal'), 0o644);
    const again = await cli(['restore', 'b.jsonl', '--journal', 'r.journal']);
    expect(again.code).toBe(0);
    expect(mode('r.journal')).toBe('600');
    expect(again.stdout).toContain(
      `Made private (0600): ${join(dir, 'r.journal')} (it was 0644: others could read it).`,
    );
  });
});
