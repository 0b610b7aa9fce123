/**
 * The CLI as an operator uses it on a production tenant: nothing lost, nothing guessed, every
 * outcome machine-readable. The built CLI as a subprocess against the sandbox (or, for stalls and
 * retries, a scripted server), each test synchronised on what the processes print or receive.
 */

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { builtCli, cliOutputs, leakedSecrets, runCli, runPrinted, startCli } from '../helpers/cli.js';
import { neverAnswer, type SeenRequest, startScriptedServer } from '../helpers/scripted-server.js';

const PASSWORD = `ocm-planted-password-${randomUUID()}`;
const API_KEY = `ei-planted-key-${randomUUID()}`;
const JWT = `ei-planted-jwt-${randomUUID()}`;
const BEARER = `ocm-planted-bearer-${randomUUID()}`;
const USER = 'operator';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'cli-json.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
/** Every line of a --json stdout, each checked against the documented schema. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  expect(stdout.endsWith('\n')).toBe(true);
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const document = JSON.parse(line) as Record<string, unknown>;
      if (!validate(document))
        throw new Error(`${line}\ndoes not match the schema: ${JSON.stringify(validate.errors)}`);
      return document;
    });
}
/** The one document of a single-file command. */
function jsonDocument(stdout: string): Record<string, unknown> {
  const lines = jsonLines(stdout);
  expect(lines).toHaveLength(1);
  return lines[0] as Record<string, unknown>;
}

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox({ jobThreshold: 2, jobPolls: 2 });
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-operator-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ocmEnv = (baseUrl = sandbox.oracleBaseUrl) => ({
  OCM_BASE_URL: baseUrl,
  OCM_USERNAME: USER,
  OCM_PASSWORD: PASSWORD,
});
const eiEnv = (baseUrl = sandbox.edgeImpulseBaseUrl) => ({
  EDGE_IMPULSE_API_KEY: API_KEY,
  EDGE_IMPULSE_BASE_URL: baseUrl,
});
// The run's mechanisms (journal, rate, pipes, input) are the same with or without the backup step;
// these tests count the DELETEs alone. The backup, preview and restore: oracle-backup.test.ts.
const BULK = ['oracle', 'delete-metadata', '--collection', 'CollectionA', '--field', 'A1', '--no-backup'];
const bulk = (args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) =>
  runCli([...BULK, ...args], { env: ocmEnv(), cwd: dir, ...options });
const clear = (args: string[], env: Record<string, string> = eiEnv()) =>
  runCli(['edge-impulse', 'clear-metadata', ...args, '--no-backup'], { env, cwd: dir });

const mine = (id: string) =>
  sandbox.oracle.addFile({ id, owner: USER, collections: { CollectionA: { A1: 'x', A2: 'y' } } });
/** Runs a command the CLI printed, as printed, in the test's folder. */
const shell = (command: string, env: Record<string, string>) => runPrinted(command, { env, cwd: dir });
const cleared = (id: string) => sandbox.oracle.file(id)?.collections.CollectionA?.A1 === undefined;
const write = (name: string, text: string | Buffer) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
/** The IDs in a failed-IDs file (its # lines skipped). */
const idsIn = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
const failedFiles = () => readdirSync(dir).filter((name) => name.startsWith('metaclear-failed-'));

describe('work done, record kept: output paths are checked before the first request', () => {
  const ids = ['G1', 'G2', 'G3'];
  beforeEach(() => {
    for (const id of ids) mine(id);
  });

  it('--failed-out in a folder that does not exist: exit 2, nothing sent', async () => {
    write('ids.txt', ids.join('\n'));
    const run = await bulk(['--files-from', 'ids.txt', '--failed-out', '/nonexistent-dir/x.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: --failed-out \/nonexistent-dir\/x\.txt: the folder \/nonexistent-dir does not exist$/m,
    );
    expect(sandbox.requests).toHaveLength(0);
    expect(ids.some(cleared)).toBe(false);
  });

  it('--failed-out pointing at the --files-from input: exit 2, the input untouched', async () => {
    const input = write('ids.txt', `${ids.join('\n')}\n`);
    const run = await bulk(['--files-from', 'ids.txt', '--failed-out', 'ids.txt', '--overwrite']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --failed-out ids\.txt is the same file as --files-from; choose another path$/m);
    expect(readFileSync(input, 'utf8')).toBe('G1\nG2\nG3\n');
    expect(sandbox.requests).toHaveLength(0);
  });

  it('--failed-out pointing at an existing file: exit 2 unless --overwrite', async () => {
    write('ids.txt', [...ids, 'NOPE'].join('\n'));
    const previous = write('failed.txt', 'an earlier record\n');
    const refused = await bulk(['--files-from', 'ids.txt', '--failed-out', 'failed.txt']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^error: --failed-out failed\.txt already exists; add --overwrite to replace it, or choose another path$/m,
    );
    expect(sandbox.requests).toHaveLength(0);
    expect(readFileSync(previous, 'utf8')).toBe('an earlier record\n');

    const replaced = await bulk(['--files-from', 'ids.txt', '--failed-out', 'failed.txt', '--overwrite']);
    expect(replaced.code).toBe(1);
    expect(idsIn(previous)).toEqual(['NOPE']);
  });

  it('the failed IDs are written as files fail: a kill leaves a usable file', async () => {
    // Two files fail at once, then the server stalls: kill the CLI while the third is in flight.
    const answered = await startScriptedServer(
      { status: 404, body: { errorCode: '-1', errorMessage: 'not found' } },
      { status: 404, body: { errorCode: '-1', errorMessage: 'not found' } },
      (_request: SeenRequest) => undefined, // then never answers
    );
    try {
      write('ids.txt', ['A', 'B', 'C', 'D'].join('\n'));
      const cli = startCli([...BULK, '--files-from', 'ids.txt', '--concurrency', '1', '--failed-out', 'failed.txt'], {
        env: ocmEnv(`${answered.url}/documents/api/1.1`),
        cwd: dir,
      });
      await answered.received(3);
      // Lines are handed to the system in the turn after their result (and synced every second):
      // wait until both are in the file, then kill.
      while (!/^B$/m.test(readFileSync(join(dir, 'failed.txt'), 'utf8'))) await new Promise((r) => setTimeout(r, 10));
      cli.child.kill('SIGKILL');
      await cli.result;
      expect(idsIn(join(dir, 'failed.txt'))).toEqual(['A', 'B']);
      expect(readFileSync(join(dir, 'failed.txt'), 'utf8').endsWith('B\n')).toBe(true);
    } finally {
      await answered.close();
    }
  });

  it('the first Ctrl-C ends a run whose input never ends (stalled server, stdin still open): 130, the files in flight listed, the line not run named', async () => {
    const server = await startScriptedServer(neverAnswer);
    try {
      const cli = startCli(
        [...BULK, '--files-from', '-', '--concurrency', '2', '--failed-out', 'failed.txt', '--journal', 'run.journal'],
        { env: ocmEnv(`${server.url}/documents/api/1.1`), cwd: dir },
      );
      cli.child.stdin.write('S1\nS2\nS3\n'); // stdin stays open: the input never ends
      await server.received(2);
      cli.child.kill('SIGINT');
      const run = await cli.result;
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
      expect(run.stderr).toMatch(/^SIGINT: cancelling/m);
      expect(run.stdout).toMatch(/^Interrupted \(SIGINT\)\.$/m);
      expect(run.stdout).toMatch(/^2 files: 0 succeeded, 2 failed \(2 cancelled\)\.$/m);
      expect(run.stdout).toContain('Not run: --files-from - (stdin) from line 3 on (not read).');
      expect(run.stdout).toContain(`Failed file IDs written to ${join(dir, 'failed.txt')}`);
      expect(run.stdout).toMatch(
        /^ {2}metaclear oracle delete-metadata .*--journal run\.journal --failed-out failed-2\.txt$/m,
      );
      expect(idsIn(join(dir, 'failed.txt')).sort()).toEqual(['S1', 'S2']);
      expect(readFileSync(join(dir, 'failed.txt'), 'utf8')).toMatch(
        /^# Not run: --files-from - \(stdin\) from line 3 on/m,
      );
      expect(run.stdout).not.toContain(PASSWORD);
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C on a file input: the files in flight in the failed-IDs file, the rest by position; both printed commands run as printed and finish the input, each file once', async () => {
    const server = await startScriptedServer(neverAnswer);
    const all = Array.from({ length: 50 }, (_, i) => `S${i}`);
    try {
      write('ids.txt', all.join('\n'));
      const cli = startCli([...BULK, '--files-from', 'ids.txt', '--concurrency', '2', '--failed-out', 'failed.txt'], {
        env: ocmEnv(`${server.url}/documents/api/1.1`),
        cwd: dir,
      });
      await server.received(2);
      cli.child.kill('SIGINT');
      await cli.waitForStderr(/^SIGINT: cancelling/m);
      // A second Ctrl-C may reach it as it ends, or while it ends the run: 130 either way, the record whole.
      if (cli.child.exitCode === null) cli.child.kill('SIGINT');
      const run = await cli.result;
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
      expect(new Set(idsIn(join(dir, 'failed.txt')))).toEqual(new Set(['S0', 'S1']));
      expect(run.stdout).toContain('Not run: --files-from ids.txt from line 3 on (not read).');
      const rerun = /^Re-run them with:\n {2}(.*)$/m.exec(run.stdout)?.[1] as string;
      const rest = /^Run the rest of the input with:\n {2}(.*)$/m.exec(run.stdout)?.[1] as string;
      expect(rest).toBe(
        'metaclear oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from ids.txt --concurrency 2 --failed-out failed-2.txt --from-line 3',
      );
      for (const id of all) mine(id);
      for (const command of [rerun, rest]) {
        const again = await shell(command, ocmEnv());
        expect(again.code).toBe(0);
      }
      expect(all.every(cleared)).toBe(true);
      expect(sandbox.requests.map((r) => r.path.split('/')[5]).sort()).toEqual([...all].sort());
    } finally {
      await server.close();
    }
  });
});

describe('resumable runs: --journal', () => {
  it('the same command with the same journal skips what succeeded', async () => {
    for (const id of ['G1', 'G2', 'G3']) mine(id);
    write('ids.txt', ['G1', 'NOPE-1', 'G2', 'NOPE-2', 'G3'].join('\n'));
    const args = ['--files-from', 'ids.txt', '--journal', 'run.journal'];
    const first = await bulk(args);
    expect(first.code).toBe(1);
    const journal = readFileSync(join(dir, 'run.journal'), 'utf8').trimEnd().split('\n');
    expect(JSON.parse(journal[0] as string)).toEqual({
      metaclear: 'journal',
      version: 2,
      api: 'oracle-documents',
      operation: 'delete-metadata',
      origin: new URL(sandbox.oracleBaseUrl).origin,
      collection: 'CollectionA',
      fields: ['A1'],
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(journal.slice(1).map((line) => JSON.parse(line))).toEqual(
      expect.arrayContaining([
        { n: 1, fileId: 'G1', ok: true },
        { n: 2, fileId: 'NOPE-1', ok: false, cause: 'HTTP 404 Not Found' },
      ]),
    );
    expect(journal).toHaveLength(6);

    // The missing files appear; the same command runs only what did not succeed.
    sandbox.reset();
    for (const id of ['NOPE-1', 'NOPE-2']) mine(id);
    const again = await bulk(args);
    expect(again.code).toBe(0);
    expect(sandbox.requests.map((r) => r.path.split('/')[5]).sort()).toEqual(['NOPE-1', 'NOPE-2']);
    expect(again.stdout).toBe(
      '2 files: 2 succeeded, 0 failed, 3 skipped (done in an earlier run, per the journal).\nNo backup (--no-backup): the values cleared cannot be restored by metaclear.\n',
    );
    expect(readFileSync(join(dir, 'run.journal'), 'utf8').trimEnd().split('\n')).toHaveLength(8);
  });

  it('an interrupted run says how to resume; the resumed run finishes the rest', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `R${i}`);
    for (const id of ids) mine(id);
    write('ids.txt', ids.join('\n'));
    const cli = startCli([...BULK, '--files-from', 'ids.txt', '--concurrency', '1', '--journal', 'run.journal'], {
      env: ocmEnv(),
      cwd: dir,
    });
    while (sandbox.requests.length < 3) await new Promise((r) => setTimeout(r, 10));
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect(run.code).toBe(130);
    const resume =
      /^Resume the run \(the journal skips the files that succeeded; those that failed or were cancelled are run again\) with:\n {2}(.*)$/m.exec(
        run.stdout,
      )?.[1];
    expect(resume).toBe(
      'metaclear oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from ids.txt --concurrency 1 --journal run.journal',
    );
    const done = ids.filter(cleared);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(200);

    const before = sandbox.requests.length;
    const resumed = await shell(resume as string, ocmEnv());
    expect(resumed.code).toBe(0);
    expect(ids.every(cleared)).toBe(true);
    const skipped = Number(/(\d+) skipped/.exec(resumed.stdout)?.[1]);
    expect(skipped).toBeGreaterThanOrEqual(done.length - 1);
    expect(sandbox.requests.length - before).toBe(200 - skipped);
  });

  it("a journal line cut short by a kill is ignored, and does not swallow the next run's first line", async () => {
    mine('G1');
    mine('G2');
    write('ids.txt', 'G1\nG2\n');
    const first = await bulk(['--files-from', 'ids.txt', '--journal', 'run.journal']);
    expect(first.code).toBe(0);
    // As a kill in the middle of writing the second entry leaves it:
    const [header, one] = readFileSync(join(dir, 'run.journal'), 'utf8').split('\n');
    const g1 = [one, readFileSync(join(dir, 'run.journal'), 'utf8').split('\n')[2]].find((l) => l?.includes('"G1"'));
    write('run.journal', `${header}\n${g1}\n{"n":2,"fileId":"G2","o`);
    sandbox.reset();
    mine('G1');
    mine('G2');
    const run = await bulk(['--files-from', 'ids.txt', '--journal', 'run.journal']);
    expect(run.code).toBe(0);
    expect(sandbox.requests.map((r) => r.path.split('/')[5])).toEqual(['G2']);
    const again = await bulk(['--files-from', 'ids.txt', '--journal', 'run.journal']);
    expect(again.stdout).toBe(
      '0 files: 0 succeeded, 0 failed, 2 skipped (done in an earlier run, per the journal).\nNo backup (--no-backup): the values cleared cannot be restored by metaclear.\n',
    );
    expect(again.code).toBe(0);
  });

  it('refuses a journal that is not one, or is the input', async () => {
    write('ids.txt', 'G1\n');
    write('notes.txt', 'my notes\n');
    const notJournal = await bulk(['--files-from', 'ids.txt', '--journal', 'notes.txt']);
    expect(notJournal.code).toBe(2);
    expect(notJournal.stderr).toMatch(/^error: --journal .*notes\.txt is not a metaclear journal/m);
    const input = await bulk(['--files-from', 'ids.txt', '--journal', 'ids.txt']);
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/^error: --journal ids\.txt is the same file as --files-from/m);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('bad input is refused with exit 2, naming the flag or the line, before anything is sent', () => {
  const base = ['--project', '1', '--category', 'training', '--key', 'k'];
  it.each([
    [
      'an impossible date',
      ['--min-date', '2024-02-30T00:00:00Z'],
      /'--min-date <iso>' argument '2024-02-30T00:00:00Z' is invalid\. 2024-02-30T00:00:00Z is not a date that exists/,
    ],
    [
      'an impossible hour',
      ['--max-date', '2024-01-01T24:00:00Z'],
      /'--max-date <iso>' argument .* is not a date that exists/,
    ],
    [
      '--metadata key=',
      ['--metadata', 'site='],
      /'--metadata <rule>' argument 'site=' is invalid\. "site=" has an empty value/,
    ],
    [
      '--metadata k=a,,b',
      ['--metadata', 'k=a,,b'],
      /'--metadata <rule>' argument 'k=a,,b' is invalid\. "k=a,,b" has an empty value/,
    ],
    [
      'a project beyond the safe integers',
      ['--project', '99999999999999999999'],
      /'--project <id>' argument '99999999999999999999' is invalid\. Expected an integer from -9007199254740991 to 9007199254740991\./,
    ],
    [
      'an ID beyond the safe integers',
      ['--ids', '1,99999999999999999999'],
      /'--ids <ids>' argument .* is invalid\. 99999999999999999999: expected integers from/,
    ],
    [
      'a 2 kB metadata key',
      ['--key', 'k'.repeat(2000)],
      /'--key <metadataKey>' argument 'k{80}…' \(2000 characters\) is invalid\. Expected at most 1024 characters, got 2000\./,
    ],
    [
      // (the longest argument Linux passes to a process is 128 kB)
      'a 100 kB label',
      ['--label', 'x'.repeat(100_000)],
      /'--label <label>' argument .* is invalid\. Expected at most 1024 characters, got 100000\./,
    ],
  ])('%s', async (_, args, message) => {
    sandbox.edgeImpulse.addSamples(1, [{ id: 1, added: '2024-03-01T00:00:00Z', metadata: { k: 'v' } }]);
    const run = await clear([...base, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.length).toBeLessThan(5000); // a huge value is not echoed back
    expect(sandbox.requests).toHaveLength(0);
  });

  it('a non-UTF-8 byte in an ID file: the line number, nothing sent', async () => {
    mine('G1');
    write('ids.txt', Buffer.concat([Buffer.from('G1\n# comment\nG'), Buffer.from([0xe9]), Buffer.from('2\n')]));
    const run = await bulk(['--files-from', 'ids.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: --files-from ids\.txt: line 3 is not valid UTF-8; expected one file ID per line, as UTF-8 text$/m,
    );
    expect(sandbox.requests).toHaveLength(0);
    expect(failedFiles()).toEqual([]);
  });

  it('a 5 MB line in an ID file: a clear limit, nothing sent, nothing echoed', async () => {
    write('ids.txt', `G1\n${'x'.repeat(5 * 1024 * 1024)}\n`);
    const run = await bulk(['--files-from', 'ids.txt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: --files-from ids\.txt: line 2 is longer than 1024 bytes; expected one file ID per line$/m,
    );
    expect(run.stderr.length + run.stdout.length).toBeLessThan(1000);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('on stdin (not read ahead), a bad line stops the run there: exit 2, the line named', async () => {
    mine('G1');
    mine('G2');
    const run = await bulk(['--files-from', '-', '--concurrency', '1'], { stdin: `G1\nG2\n${'y'.repeat(2000)}\nG3\n` });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: --files-from - \(stdin\): line 3 is longer than 1024 bytes; expected one file ID per line; the files before it were run$/m,
    );
    expect(sandbox.requests.map((r) => r.path.split('/')[5])).toEqual(['G1', 'G2']);
  });
});

describe('consistent configuration', () => {
  it('a flag overrides its environment variable: --jwt-token with EDGE_IMPULSE_API_KEY set', async () => {
    sandbox.edgeImpulse.addProject(1);
    const run = await clear(['--project', '1', '--category', 'all', '--key', 'k', '--jwt-token', JWT]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(sandbox.requests[0]?.credential).toMatchObject({ source: 'header x-jwt-token', identity: JWT });
    expect(sandbox.requests[0]?.headers).not.toHaveProperty('x-api-key');
  });

  it('a flag overrides the other kind of credential: --bearer-token with OCM_USERNAME/OCM_PASSWORD set', async () => {
    sandbox.oracle.addFile({ id: 'F1', owner: BEARER, collections: { CollectionA: { A1: 'x' } } });
    const run = await runCli([...BULK, '--file', 'F1', '--bearer-token', BEARER], { env: ocmEnv(), cwd: dir });
    expect(run.code).toBe(0);
    expect(sandbox.requests[0]?.credential).toMatchObject({ scheme: 'bearerAuth' });
  });

  it('every missing required option at once, with the variable that can stand for it', async () => {
    const ei = await runCli(['edge-impulse', 'clear-metadata'], { env: eiEnv() });
    expect(ei.code).toBe(2);
    expect(ei.stderr).toMatch(
      /^error: required options not specified: --project <id>, --category <category>, --key <metadataKey>$/m,
    );
    const ocm = await runCli(['oracle', 'delete-metadata', '--file', 'F1'], { env: {} });
    expect(ocm.code).toBe(2);
    expect(ocm.stderr).toMatch(
      /^error: required options not specified: --collection <name>, --field <name>, --base-url <url> \(or OCM_BASE_URL\)$/m,
    );
  });

  it('an empty ID list says so and exits 2, unless --allow-empty', async () => {
    write('ids.txt', '# nothing to do today\n\n');
    const file = await bulk(['--files-from', 'ids.txt']);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(
      /^error: --files-from ids\.txt: no file IDs in it \(only blank lines and # comments\); add --allow-empty to accept that$/m,
    );
    const stdin = await bulk(['--files-from', '-'], { stdin: '' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(
      /^error: --files-from - \(stdin\): no file IDs in it; add --allow-empty to accept that$/m,
    );
    const allowed = await bulk(['--files-from', 'ids.txt', '--allow-empty']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe(
      '0 files: 0 succeeded, 0 failed.\nNo backup (--no-backup): the values cleared cannot be restored by metaclear.\n',
    );
    expect(sandbox.requests).toHaveLength(0);
    expect(failedFiles()).toEqual([]);
  });
});

describe('--json: one document for every outcome, matching docs/cli-json.schema.json', () => {
  it('a usage error', async () => {
    const run = await clear(['--project', 'abc', '--category', 'all', '--key', 'k', '--json']);
    expect(run.code).toBe(2);
    expect(jsonDocument(run.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      error: { name: 'UsageError', message: expect.stringContaining("'--project <id>' argument 'abc' is invalid") },
    });
  });

  it('an API failure', async () => {
    const run = await runCli([...BULK, '--file', 'NOPE', '--json'], { env: ocmEnv(), cwd: dir });
    expect(run.code).toBe(1);
    expect(jsonDocument(run.stdout)).toMatchObject({
      command: 'oracle delete-metadata',
      ok: false,
      exitCode: 1,
      fileId: 'NOPE',
      error: { name: 'ApiError', status: 404, operationId: 'deleteFileMetadataValues' },
    });
  });

  it('a started job, a failed job and a --wait timeout carry the job ID', async () => {
    sandbox.edgeImpulse.addSamples(
      1,
      [1, 2, 3].map((id) => ({ id, metadata: { k: 'v' } })),
    );
    const args = ['--project', '1', '--category', 'all', '--key', 'k', '--json'];
    const started = await clear(args);
    expect(started.code).toBe(0);
    expect(jsonDocument(started.stdout)).toMatchObject({ ok: true, exitCode: 0, status: 'job', jobId: 1 });

    sandbox.edgeImpulse.failNextJob(1, 'disk full');
    const failed = await clear([...args, '--wait']);
    expect(failed.code).toBe(1);
    expect(jsonDocument(failed.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      jobId: 2,
      job: { id: 2, finishedSuccessful: false },
      error: { name: 'JobFailedError' },
    });

    const timedOut = await clear([...args, '--wait', '--timeout', '0.05']);
    expect(timedOut.code).toBe(124);
    expect(jsonDocument(timedOut.stdout)).toMatchObject({
      ok: false,
      exitCode: 124,
      jobId: 3,
      follow: 'metaclear edge-impulse job-status --project 1 --job 3 --wait',
      error: { name: 'JobTimeoutError' },
    });
  });

  it('an interrupt (130) while following a job', async () => {
    // A job that no number of polls finishes: the interrupt, not the job, ends the wait.
    const slow = await startSandbox({ jobThreshold: 0, jobPolls: 1_000_000 });
    try {
      slow.edgeImpulse.addSamples(1, [{ id: 1, metadata: { k: 'v' } }]);
      const cli = startCli(
        [
          'edge-impulse',
          'clear-metadata',
          '--project',
          '1',
          '--category',
          'all',
          '--key',
          'k',
          '--no-backup',
          '--wait',
          '--json',
        ],
        {
          env: eiEnv(slow.edgeImpulseBaseUrl),
          cwd: dir,
        },
      );
      await cli.waitForStderr(/^job 1: waiting/m);
      cli.child.kill('SIGINT');
      const run = await cli.result;
      expect(run.code).toBe(130);
      expect(jsonDocument(run.stdout)).toMatchObject({
        command: 'edge-impulse clear-metadata',
        ok: false,
        exitCode: 130,
        jobId: 1,
        error: { name: 'InterruptedError', message: 'interrupted by SIGINT' },
      });
    } finally {
      await slow.close();
    }
  });

  it('an interrupt of a call to a server that never answers: Ctrl-C twice still prints the document', async () => {
    const server = await startScriptedServer(neverAnswer);
    try {
      const cli = startCli([...BULK, '--file', 'F1', '--json'], {
        env: ocmEnv(`${server.url}/documents/api/1.1`),
        cwd: dir,
      });
      await server.received(1);
      cli.child.kill('SIGINT');
      // However the transport takes the abort, a second Ctrl-C (if still needed) ends it with the document.
      await new Promise((r) => setImmediate(r));
      if (cli.child.exitCode === null) cli.child.kill('SIGINT');
      const run = await cli.result;
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
      expect(jsonDocument(run.stdout)).toMatchObject({
        command: 'oracle delete-metadata',
        ok: false,
        exitCode: 130,
        fileId: 'F1',
        error: { name: 'InterruptedError' },
      });
    } finally {
      await server.close();
    }
  });

  it('bulk mode: one line per file as it finishes, then the summary with the exit status', async () => {
    mine('G1');
    const run = await bulk(['--files-from', '-', '--json'], { stdin: 'G1\nNOPE\n' });
    expect(run.code).toBe(1);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(3);
    expect(
      lines
        .slice(0, 2)
        .map((l) => l.fileId)
        .sort(),
    ).toEqual(['G1', 'NOPE']);
    expect(lines[2]).toMatchObject({ summary: { total: 2, succeeded: 1, failed: 1, exitCode: 1 } });
  });

  it('a bad flag in bulk mode, and --dry-run, match the schema too', async () => {
    const bad = await bulk(['--files-from', '-', '--concurrency', '0', '--json'], { stdin: 'G1\n' });
    expect(bad.code).toBe(2);
    expect(jsonDocument(bad.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { name: 'ValidationError' } });
    const dry = await bulk(['--files-from', '-', '--dry-run', '--json'], { stdin: 'G1\nG2\n' });
    expect(dry.code).toBe(0);
    expect(jsonLines(dry.stdout)).toHaveLength(2);
  });

  it('a bulk run with its backup, its dry-run preview, and oracle restore match the schema too', async () => {
    mine('G1');
    mine('G2');
    const withBackup = ['oracle', 'delete-metadata', '--collection', 'CollectionA', '--field', 'A1', '--field', 'A2'];
    const preview = await runCli([...withBackup, '--files-from', '-', '--dry-run', '--json'], {
      env: ocmEnv(),
      cwd: dir,
      stdin: 'G1\nG2\nNOPE\n',
    });
    expect(preview.code).toBe(1);
    const docs = jsonLines(preview.stdout);
    // Per file its values (or error), a request for each file with values, then the totals.
    expect(docs).toHaveLength(6);
    expect(docs.at(-1)).toEqual({ dryRun: true, preview: { files: 2, withValues: 2, values: 4, failed: 1 } });
    const run = await runCli([...withBackup, '--files-from', '-', '--json', '--backup', 'b.jsonl'], {
      env: ocmEnv(),
      cwd: dir,
      stdin: 'G1\nG2\n',
    });
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toMatchObject({ ok: true, cleared: ['A1', 'A2'] });
    expect(lines.at(-1)).toMatchObject({ summary: { backup: join(dir, 'b.jsonl'), cleared: 2, exitCode: 0 } });
    const restored = await runCli(['restore', 'b.jsonl', '--json'], { env: ocmEnv(), cwd: dir });
    expect(restored.code).toBe(0);
    expect(jsonDocument(restored.stdout)).toMatchObject({ command: 'oracle restore', ok: true, restored: 2 });
    const dryRestore = await runCli(['restore', 'b.jsonl', '--json', '--dry-run'], { env: ocmEnv(), cwd: dir });
    expect(jsonLines(dryRestore.stdout).at(-1)).toMatchObject({ dryRun: true, restore: { unchanged: 2 } });
  });
});

describe('visible retries and waits: --verbose, --retries, --attempt-timeout', () => {
  it('--verbose logs each request, its status and duration, and each retry with its wait; no credential', async () => {
    const server = await startScriptedServer(
      { status: 503, headers: { 'retry-after': '1' }, body: { success: false, error: 'busy' } },
      { status: 200, body: { success: true } },
    );
    try {
      const run = await clear(
        ['--project', '1', '--category', 'all', '--key', 'k', '--verbose'],
        eiEnv(`${server.url}/v1`),
      );
      expect(run.code).toBe(0);
      const url = `${server.url}/v1/api/1/raw-data/batch/clear-metadata-by-key?category=all`;
      expect(run.stderr.split('\n')).toEqual([
        `> POST ${url}`,
        '  attempt 1 failed (HTTP 503); retrying in 1.0 s',
        expect.stringMatching(new RegExp(`^< 200 POST ${url.replace(/[.?]/g, '\\$&')} in \\d+(\\.\\d)? m?s$`)),
        '',
      ]);
      expect(server.requests).toHaveLength(2);
      expect(run.stderr).not.toContain(API_KEY);
    } finally {
      await server.close();
    }
  });

  it('--retries 0: one attempt; --attempt-timeout: a stalled attempt ends', async () => {
    const busy = await startScriptedServer({ status: 503, body: { success: false, error: 'busy' } });
    const stalled = await startScriptedServer(neverAnswer);
    try {
      const once = await clear(
        ['--project', '1', '--category', 'all', '--key', 'k', '--retries', '0'],
        eiEnv(`${busy.url}/v1`),
      );
      expect(once.code).toBe(1);
      expect(busy.requests).toHaveLength(1);
      const timed = await clear(
        ['--project', '1', '--category', 'all', '--key', 'k', '--retries', '0', '--attempt-timeout', '0.2'],
        eiEnv(`${stalled.url}/v1`),
      );
      expect(timed.code).toBe(1);
      expect(timed.stderr).toMatch(/^error: .*\(after 1 attempt\)/m);
      // The CLI may end before this process has read the request it sent.
      await stalled.received(1);
      expect(stalled.requests).toHaveLength(1);
    } finally {
      await busy.close();
      await stalled.close();
    }
  });
});

describe('rate and politeness', () => {
  it('--max-rate spaces the requests', async () => {
    // When each request reached the sandbox's handler: the log line's time less the "N ms" it took.
    const arrivals: number[] = [];
    const paced = await startSandbox({
      log: (line) => arrivals.push(Date.now() - Number(/ (\d+) ms/.exec(line)?.[1] ?? Number.NaN)),
    });
    try {
      const ids = Array.from({ length: 4 }, (_, i) => `P${i}`);
      for (const id of ids) paced.oracle.addFile({ id, owner: USER, collections: { CollectionA: { A1: 'x' } } });
      const run = await runCli([...BULK, '--files-from', '-', '--max-rate', '5/s'], {
        env: ocmEnv(paced.oracleBaseUrl),
        cwd: dir,
        stdin: ids.join('\n'),
      });
      expect(run.code).toBe(0);
      expect(arrivals).toHaveLength(4);
      // 4 starts at most 5 per second: the CLI starts the fourth at least 2 × 200 ms after the
      // second (a slow machine only spreads them more); unpaced, all 4 start at once (concurrency
      // 8). The first is left out (its new connection makes its way in longer); the margin covers
      // the second's on a loaded machine.
      expect((arrivals[3] as number) - (arrivals[1] as number)).toBeGreaterThanOrEqual(200);
    } finally {
      await paced.close();
    }
  });

  it('repeated 429s lower the concurrency (AIMD), and the summary says so', async () => {
    // A frozen clock: the sandbox's bucket of 4 never refills, so every request after the 4th is refused.
    const limited = await startSandbox({ rateLimit: { requestsPerSecond: 1, burst: 4, now: () => 0 } });
    try {
      const ids = Array.from({ length: 24 }, (_, i) => `L${i}`);
      for (const id of ids) limited.oracle.addFile({ id, owner: USER, collections: { CollectionA: { A1: 'x' } } });
      const run = await runCli([...BULK, '--files-from', '-', '--retries', '0', '--failed-out', 'failed.txt'], {
        env: ocmEnv(limited.oracleBaseUrl),
        cwd: dir,
        stdin: ids.join('\n'),
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^24 files: 4 succeeded, 20 failed \(20 HTTP 429 Too Many Requests\)\.$/m);
      expect(run.stdout).toMatch(
        /^Rate: the server answered 429\/503: concurrency lowered \d+ times \(down to 1 of 8\), \d+ at the end\.$/m,
      );
      expect(limited.requests.filter((r) => r.status === 429)).toHaveLength(20);
      expect(idsIn(join(dir, 'failed.txt'))).toHaveLength(20);
    } finally {
      await limited.close();
    }
  });
});

// Last: every run above has been recorded.
it('no planted credential appears in the stdout or stderr of any run', () => {
  expect(cliOutputs.length).toBeGreaterThan(40);
  expect(leakedSecrets([PASSWORD, API_KEY, JWT, BEARER])).toEqual([]);
});

describe('a reader that goes away (EPIPE on stdout, as with `| head`)', () => {
  it('--help: no crash, exit 0', async () => {
    const cli = startCli(['--help'], { cwd: dir });
    cli.child.stdout.destroy(); // closed before the CLI has started, so its first write fails
    const run = await cli.result;
    expect(run.stderr).toBe('');
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
  });

  // /dev/full (every write fails with ENOSPC) is Linux's.
  (existsSync('/dev/full') ? it : it.skip)(
    'another failure of stdout (a full disk) is said once on stderr',
    async () => {
      const full = openSync('/dev/full', 'w');
      try {
        const child = spawn(process.execPath, [builtCli(), '--help'], { stdio: ['ignore', full, 'pipe'] });
        let stderr = '';
        child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const code = await new Promise((resolve) => child.on('close', resolve));
        expect(code).toBe(0);
        expect(stderr).toBe('metaclear: stdout: ENOSPC; its further output is lost\n');
      } finally {
        closeSync(full);
      }
    },
  );

  it('a bulk run goes on to its end: every file done, the failed IDs whole, the status as decided', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `E${i}`);
    for (const id of ids.slice(0, 30)) mine(id); // the last 10 do not exist
    write('ids.txt', ids.join('\n'));
    const cli = startCli([...BULK, '--files-from', 'ids.txt', '--json', '--failed-out', 'failed.txt'], {
      env: ocmEnv(),
      cwd: dir,
    });
    cli.child.stdout.destroy();
    const run = await cli.result;
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
    expect(sandbox.requests).toHaveLength(40);
    for (const id of ids.slice(0, 30)) expect(cleared(id)).toBe(true);
    expect(idsIn(join(dir, 'failed.txt')).sort()).toEqual(ids.slice(30).sort());
    expect(readFileSync(join(dir, 'failed.txt'), 'utf8')).toMatch(/^# 40 files: 30 succeeded, 10 failed/m);
  });
});
