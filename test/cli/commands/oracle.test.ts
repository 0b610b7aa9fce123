/** `metaclear oracle delete-metadata`: the built CLI against the sandbox, one file and many. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, cliOutputs, leakedSecrets, runCli, startCli } from '../../helpers/cli.js';

const PASSWORD = `ocm-planted-password-${randomUUID()}`;
const BEARER = `ocm-planted-bearer-${randomUUID()}`;
const APPLINK_TOKEN = `ocm-planted-applink-${randomUUID()}`;
const APPLINK_ID = 'LF5Bxj4TPo_p4n4qWn0tbKTicR2cTUJKv7X_ng9E7ry93rRuDokPqS1d6';
const USER = 'operator';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const basicEnv = (extra: Record<string, string> = {}) => ({
  OCM_BASE_URL: sandbox.oracleBaseUrl,
  OCM_USERNAME: USER,
  OCM_PASSWORD: PASSWORD,
  ...extra,
});
const remove = (args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) =>
  runCli(['oracle', 'delete-metadata', ...args], { env: options.env ?? basicEnv(), cwd: dir, ...options });

const mine = (id: string) =>
  sandbox.oracle.addFile({ id, owner: USER, collections: { CollectionA: { A1: 'x', A2: 'y', A3: 'z' } } });
const someoneElses = (id: string) =>
  sandbox.oracle.addFile({ id, owner: 'someone-else', collections: { CollectionA: { A1: 'x', A2: 'y' } } });
const valuesOf = (id: string) => sandbox.oracle.file(id)?.collections.CollectionA;

/** The file IDs in a failed-IDs file (its # lines skipped). */
const idsIn = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));

describe('one file', () => {
  it('with HTTP Basic from the environment: the file read, its values backed up, then the DELETE', async () => {
    mine('F1');
    const run = await remove(['--file', 'F1', '--collection', 'CollectionA', '--field', 'A1', '--field', 'A2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [backup] = readdirSync(dir).filter((n) => n.startsWith('metaclear-backup-oracle-'));
    expect(run.stdout).toBe(
      `Deleted the values of A1, A2 in collection "CollectionA" on file F1.\nBackup: ${join(dir, backup as string)} (1 file). Undo with: metaclear restore ${join(dir, backup as string)}\n`,
    );
    expect(valuesOf('F1')).toEqual({ A3: 'z' });
    expect(sandbox.requests).toHaveLength(2);
    expect(sandbox.requests[0]).toMatchObject({ method: 'GET', query: { directAssigned: '1' } });
    expect(sandbox.requests[1]).toMatchObject({
      method: 'DELETE',
      path: '/documents/api/1.1/files/F1/metadata',
      body: { collection: 'CollectionA', fields: 'A1,A2' },
      credential: { scheme: 'basicAuth', identity: USER },
    });
  });

  it('through an applink, with no other credential', async () => {
    sandbox.oracle.addFile({
      id: 'F3',
      owner: 'someone-else',
      collections: { ApplinkCollection: { appField1: '1', appField2: '2' } },
      appLinks: [{ id: APPLINK_ID, accessToken: APPLINK_TOKEN, role: 'contributor' }],
    });
    const run = await remove(
      ['--file', 'F3', '--collection', 'ApplinkCollection', '--field', 'appField1', '--applink-id', APPLINK_ID],
      { env: { OCM_BASE_URL: sandbox.oracleBaseUrl, OCM_APPLINK_TOKEN: APPLINK_TOKEN } },
    );
    expect(run.code).toBe(0);
    expect(sandbox.oracle.file('F3')?.collections.ApplinkCollection).toEqual({ appField2: '2' });
    expect(sandbox.requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
    for (const request of sandbox.requests) {
      expect(request.credential).toMatchObject({ scheme: 'applink', identity: APPLINK_ID });
      expect(request.headers).not.toHaveProperty('authorization');
    }
  });

  it('with a bearer token as a flag, and --json', async () => {
    sandbox.oracle.addFile({ id: 'F1', owner: BEARER, collections: { CollectionA: { A1: 'x' } } });
    const run = await remove(
      ['--file', 'F1', '--collection', 'CollectionA', '--field', 'A1', '--json', '--bearer-token', BEARER],
      {
        env: { OCM_BASE_URL: sandbox.oracleBaseUrl },
      },
    );
    expect(run.code).toBe(0);
    const [backup] = readdirSync(dir).filter((n) => n.startsWith('metaclear-backup-oracle-'));
    expect(JSON.parse(run.stdout)).toEqual({
      command: 'oracle delete-metadata',
      ok: true,
      exitCode: 0,
      fileId: 'F1',
      response: { idList: 'F1', type: 'file', errorCode: '0' },
      cleared: 1,
      backup: join(dir, backup as string),
      restore: `metaclear restore ${join(dir, backup as string)}`,
    });
    expect(sandbox.requests[0]?.credential).toMatchObject({ scheme: 'bearerAuth' });
  });

  it.each([
    [
      'an unknown file',
      'NOPE',
      /^error: getFileMetadataCollection: the server answered 404 Not Found: File NOPE not found \(HTTP 404\)\n$/,
    ],
    [
      'a file owned by someone else',
      'THEIRS',
      /^error: getFileMetadataCollection: the server answered 403 Forbidden: user operator may not read metadata of file THEIRS.*\(HTTP 403\)\n$/,
    ],
  ])('%s: exit status 1, the error on stderr', async (_, fileId, message) => {
    someoneElses('THEIRS');
    const run = await remove(['--file', fileId, '--collection', 'CollectionA', '--field', 'A1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('--dry-run --no-backup prints the request with Basic and the applink token redacted, and sends nothing', async () => {
    const run = await remove(
      [
        '--file',
        'F1',
        '--collection',
        'CollectionA',
        '--field',
        'A1',
        '--field',
        'A2',
        '--applink-id',
        APPLINK_ID,
        '--dry-run',
        '--no-backup',
      ],
      { env: basicEnv({ OCM_APPLINK_TOKEN: APPLINK_TOKEN }) },
    );
    expect(run.code).toBe(0);
    expect(sandbox.requests).toHaveLength(0);
    expect(run.stdout).toBe(
      [
        `DELETE ${sandbox.oracleBaseUrl}/files/F1/metadata`,
        'accesstoken: [redacted]',
        `applinkid: ${APPLINK_ID}`,
        'authorization: [redacted]',
        'content-type: application/json',
        '',
        '{"collection":"CollectionA","fields":"A1,A2"}',
        '',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('dry run: 1 request printed; nothing was sent\n');
  });
});

describe('bad flags: exit status 2, a clear message, nothing sent', () => {
  it.each([
    ['no --collection', ['--file', 'F1', '--field', 'A1'], /required option not specified: --collection <name>$/m],
    ['no --field', ['--file', 'F1', '--collection', 'C'], /required option not specified: --field <name>$/m],
    [
      'neither --file nor --files-from',
      ['--collection', 'C', '--field', 'A1'],
      /^error: say which file\(s\): --file <id>, or --files-from <path> \(- for stdin\)$/m,
    ],
    [
      '--file with --files-from',
      ['--file', 'F1', '--files-from', 'x.txt', '--collection', 'C', '--field', 'A1'],
      /option '--file <id>' cannot be used with option '--files-from <path>'/,
    ],
    [
      'a field with a comma (refused by the facade)',
      ['--file', 'F1', '--collection', 'C', '--field', 'A1,A2'],
      /^error: --field\[0\]: contains a comma; expected a field name without commas$/m,
    ],
    [
      'bulk: a field with a comma, before any request',
      ['--files-from', '-', '--collection', 'C', '--field', 'A1', '--field', 'B,C'],
      /^error: --field\[1\]: contains a comma/m,
    ],
    [
      '--concurrency without --files-from',
      ['--file', 'F1', '--collection', 'C', '--field', 'A1', '--concurrency', '2'],
      /^error: --concurrency applies to --files-from$/m,
    ],
    [
      '--concurrency 0 (refused by the facade)',
      ['--files-from', '-', '--collection', 'C', '--field', 'A1', '--concurrency', '0'],
      /^error: --concurrency: got 0; expected a positive integer$/m,
    ],
    [
      'a --files-from file that does not exist',
      ['--files-from', 'missing.txt', '--collection', 'C', '--field', 'A1'],
      /^error: --files-from: cannot read .*missing\.txt: ENOENT$/m,
    ],
    [
      'an applink ID without its token',
      ['--file', 'F1', '--collection', 'C', '--field', 'A1', '--applink-id', 'X'],
      /^error: an applink needs both its ID and its access token/m,
    ],
  ])('%s', async (_, args, message) => {
    const run = await remove(args, { stdin: 'F1\n' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('no base URL', async () => {
    const run = await remove(['--file', 'F1', '--collection', 'C', '--field', 'A1'], {
      env: { OCM_USERNAME: USER, OCM_PASSWORD: PASSWORD },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: required option not specified: --base-url <url> \(or OCM_BASE_URL\)$/m);
  });

  it('a user name without a password', async () => {
    const run = await remove(['--file', 'F1', '--collection', 'C', '--field', 'A1'], {
      env: { OCM_BASE_URL: sandbox.oracleBaseUrl, OCM_USERNAME: USER },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: HTTP Basic needs both a user name and a password: set OCM_USERNAME and OCM_PASSWORD/,
    );
  });

  it('no credential at all', async () => {
    const run = await remove(['--file', 'F1', '--collection', 'C', '--field', 'A1'], {
      env: { OCM_BASE_URL: sandbox.oracleBaseUrl },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no Oracle credential: set OCM_USERNAME and OCM_PASSWORD, or OCM_BEARER_TOKEN/);
  });

  it('a plain http:// base URL to a remote host (refused by the facade)', async () => {
    const run = await remove([
      '--file',
      'F1',
      '--collection',
      'C',
      '--field',
      'A1',
      '--base-url',
      'http://tenant.example.com/documents/api/1.1',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: --base-url \(OCM_BASE_URL\): plain http:\/\/ to tenant\.example\.com is refused/,
    );
  });
});

describe('bulk mode (--files-from)', () => {
  const GOOD = ['G1', 'G2', 'G3'];
  const LIST = ['# files to clean', 'G1', '', 'NOPE-1', '  G2  ', 'THEIRS', '# done soon', 'NOPE-2', 'G3', ''].join(
    '\n',
  );

  function seed(): void {
    for (const id of GOOD) mine(id);
    someoneElses('THEIRS');
  }

  it('reports the failures, exits 1, writes the failed IDs to a file that re-runs them', async () => {
    seed();
    writeFileSync(join(dir, 'ids.txt'), LIST);
    const run = await remove([
      '--files-from',
      'ids.txt',
      '--collection',
      'CollectionA',
      '--field',
      'A1',
      '--concurrency',
      '2',
    ]);
    expect(run.code).toBe(1);

    for (const id of GOOD) expect(valuesOf(id)).toEqual({ A2: 'y', A3: 'z' });
    // Each file read (its own values, for the backup), and those that held a value cleared.
    const sent = (method: string) =>
      sandbox.requests
        .filter((r) => r.method === method)
        .map((r) => r.path.split('/')[5])
        .sort();
    expect(sent('GET')).toEqual([...GOOD, 'NOPE-1', 'NOPE-2', 'THEIRS'].sort());
    expect(sent('DELETE')).toEqual(GOOD);
    const backups = readdirSync(dir).filter((name) => name.startsWith('metaclear-backup-oracle-'));
    expect(backups).toEqual([expect.stringMatching(/^metaclear-backup-oracle-\d{8}T\d{6}Z\.jsonl$/)]);
    const backupPath = join(dir, backups[0] as string);

    const failedFiles = readdirSync(dir).filter((name) => name.startsWith('metaclear-failed-'));
    expect(failedFiles).toEqual([expect.stringMatching(/^metaclear-failed-\d{8}T\d{6}Z\.txt$/)]);
    const failedPath = join(dir, failedFiles[0] as string);
    // Written as files fail, so in the order they finished: two run at once, any order.
    expect(idsIn(failedPath).sort()).toEqual(['NOPE-1', 'NOPE-2', 'THEIRS']);

    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('6 files: 3 succeeded, 3 failed (1 HTTP 403 Forbidden, 2 HTTP 404 Not Found).');
    expect(lines[1]).toBe(`Backup: ${backupPath} (3 files). Undo with: metaclear restore ${backupPath}`);
    expect(lines[2]).toBe(`Failed file IDs written to ${failedPath}`);
    expect(lines[3]).toBe('Re-run them with:');
    const rerun = lines[4]?.trim() ?? '';
    expect(rerun).toBe(
      `metaclear oracle delete-metadata --files-from ${failedPath} --collection CollectionA --field A1 --concurrency 2`,
    );
    // One line per failure, as each fails (so in the order they finished), and nothing else.
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trimEnd().split('\n').sort()).toEqual([
      'error: NOPE-1: getFileMetadataCollection: the server answered 404 Not Found: File NOPE-1 not found (HTTP 404)',
      'error: NOPE-2: getFileMetadataCollection: the server answered 404 Not Found: File NOPE-2 not found (HTTP 404)',
      expect.stringMatching(
        /^error: THEIRS: getFileMetadataCollection: the server answered 403 Forbidden: .*\(HTTP 403\)$/,
      ),
    ]);

    // Fix what failed, then run the printed command.
    sandbox.reset();
    for (const id of ['NOPE-1', 'NOPE-2']) mine(id);
    sandbox.oracle.addFile({ id: 'THEIRS', owner: USER, collections: { CollectionA: { A1: 'x' } } });
    const again = await runCli(rerun.split(' ').slice(1), { env: basicEnv(), cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^3 files: 3 succeeded, 0 failed\.\nBackup: \S+ \(3 files\)\. Undo with: metaclear restore \S+\n$/,
    );
    expect(valuesOf('NOPE-1')).toEqual({ A2: 'y', A3: 'z' });
    expect(valuesOf('THEIRS')).toEqual({});
    expect(sent('DELETE')).toEqual(['NOPE-1', 'NOPE-2', 'THEIRS']);
  });

  it('reads the IDs from stdin with --files-from -', async () => {
    seed();
    const run = await remove(['--files-from', '-', '--collection', 'CollectionA', '--field', 'A2', '--field', 'A3'], {
      stdin: 'G1\r\nG2\r\n#G3\r\nG3',
    });
    expect(run.code).toBe(0);
    const [backup] = readdirSync(dir);
    expect(run.stdout).toBe(
      `3 files: 3 succeeded, 0 failed.\nBackup: ${join(dir, backup as string)} (3 files). Undo with: metaclear restore ${join(dir, backup as string)}\n`,
    );
    expect(run.stderr).toBe('');
    for (const id of GOOD) expect(valuesOf(id)).toEqual({ A1: 'x' });
    // Nothing but the backup: no failed-IDs file when nothing failed.
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^metaclear-backup-oracle-.*\.jsonl$/)]);
  });

  it('--json: one JSON line per file as it finishes, then the summary; --failed-out chooses the file', async () => {
    seed();
    const run = await remove(
      ['--files-from', '-', '--collection', 'CollectionA', '--field', 'A1', '--json', '--failed-out', 'retry.txt'],
      { stdin: LIST },
    );
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const summary = lines.pop();
    const byId = Object.fromEntries(lines.map((l) => [l.fileId, l]));
    expect(Object.keys(byId).sort()).toEqual(['G1', 'G2', 'G3', 'NOPE-1', 'NOPE-2', 'THEIRS']);
    expect(lines).toHaveLength(6);
    expect(byId.G1).toEqual({
      fileId: 'G1',
      ok: true,
      response: { idList: 'G1', type: 'file', errorCode: '0' },
      cleared: ['A1'],
    });
    expect(byId['NOPE-1']).toEqual({
      fileId: 'NOPE-1',
      ok: false,
      cause: 'HTTP 404 Not Found',
      error: {
        name: 'ApiError',
        message: 'getFileMetadataCollection: the server answered 404 Not Found: File NOPE-1 not found (HTTP 404)',
        operationId: 'getFileMetadataCollection',
        status: 404,
      },
    });
    expect(byId.THEIRS).toMatchObject({
      fileId: 'THEIRS',
      ok: false,
      cause: 'HTTP 403 Forbidden',
      error: { status: 403 },
    });
    const failedPath = join(dir, 'retry.txt');
    expect(summary).toEqual({
      summary: {
        total: 6,
        succeeded: 3,
        failed: 3,
        cancelled: 0,
        skipped: 0,
        causes: { 'HTTP 404 Not Found': 2, 'HTTP 403 Forbidden': 1 },
        interrupted: null,
        stopped: null,
        notRunFromLine: null,
        failedFile: failedPath,
        rerun: `metaclear oracle delete-metadata --files-from ${failedPath} --collection CollectionA --field A1 --json`,
        journal: null,
        resume: null,
        rest: null,
        unrecorded: null,
        concurrency: { max: 8, lowest: 8, final: 8, decreases: 0, increases: 0 },
        backup: expect.stringMatching(new RegExp(`^${dir}/metaclear-backup-oracle-\\d{8}T\\d{6}Z\\.jsonl$`)),
        cleared: 3,
        exitCode: 1,
      },
    });
    expect(idsIn(failedPath).sort()).toEqual(['NOPE-1', 'NOPE-2', 'THEIRS']);
    expect(run.stderr).toBe(`failed IDs written to ${failedPath}; re-run with: ${summary.summary.rerun}\n`);
  });

  it('--dry-run --no-backup prints every request (JSON lines with --json) and sends nothing', async () => {
    const run = await remove(
      ['--files-from', '-', '--collection', 'CollectionA', '--field', 'A1', '--dry-run', '--json', '--no-backup'],
      {
        stdin: LIST,
      },
    );
    expect(run.code).toBe(0);
    expect(sandbox.requests).toHaveLength(0);
    const requests = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(requests.map((r) => r.url.split('/')[7]).sort()).toEqual(
      ['G1', 'G2', 'G3', 'NOPE-1', 'NOPE-2', 'THEIRS'].sort(),
    );
    expect(requests[0]).toEqual({
      dryRun: true,
      method: 'DELETE',
      url: expect.stringMatching(/\/files\/\S+\/metadata$/),
      headers: { authorization: '[redacted]', 'content-type': 'application/json' },
      body: { collection: 'CollectionA', fields: 'A1' },
    });
    expect(run.stderr).toBe('dry run: 6 requests printed; nothing was sent\n');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('Ctrl-C stops at once: the file in flight cancelled, the input not read further, recorded by its line', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `MISSING-${i}`);
    writeFileSync(join(dir, 'ids.txt'), ids.join('\n'));
    const cli = startCli(
      [
        'oracle',
        'delete-metadata',
        '--files-from',
        'ids.txt',
        '--collection',
        'C',
        '--field',
        'A1',
        '--concurrency',
        '1',
      ],
      {
        env: basicEnv(),
        cwd: dir,
      },
    );
    // Three files sent one at a time: the run is under way (Jest's timeout ends a run that never is).
    while (sandbox.requests.length < 3) await new Promise((r) => setTimeout(r, 10));
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect(run.code).toBe(130);
    const sent = sandbox.requests.length;
    expect(sent).toBeLessThan(2000);
    expect(run.stderr).toMatch(/^SIGINT: cancelling the files in flight; no more are started/m);
    const summary = run.stdout.split('\n');
    expect(summary[0]).toBe('Interrupted (SIGINT).');
    // Each file counted once: those answered, and at most the files held in flight cancelled.
    const counted = /^(\d+) files: 0 succeeded, \1 failed \((\d+) HTTP 404 Not Found(?:, (\d) cancelled)?\)\.$/.exec(
      summary[1] as string,
    );
    expect(counted).not.toBeNull();
    const [total, notFound, cancelled] = [Number(counted?.[1]), Number(counted?.[2]), Number(counted?.[3] ?? 0)];
    expect(total).toBe(notFound + cancelled);
    // A backed-up run holds up to twice --concurrency files (those waiting for the disk hold no request).
    expect(cancelled).toBeLessThanOrEqual(2);
    expect(summary[2]).toBe(`Not run: --files-from ids.txt from line ${total + 1} on (not read).`);
    const failedPath = join(dir, readdirSync(dir).find((name) => name.startsWith('metaclear-failed-')) as string);
    // In the order they finished: the files cancelled together may come in either order.
    expect(idsIn(failedPath).sort()).toEqual(ids.slice(0, total).sort());
    expect(readFileSync(failedPath, 'utf8')).toMatch(/^# Interrupted \(SIGINT\)\.$/m);
    expect(readFileSync(failedPath, 'utf8')).toContain(`# Not run: --files-from ids.txt from line ${total + 1} on`);
  });
});

describe('--help', () => {
  it.each([
    [['oracle', '--help'], /delete-metadata/],
    [['oracle', 'delete-metadata', '--help'], /--files-from <path>/],
  ])('%j', async (args, specific) => {
    const run = await runCli(args, { env: basicEnv() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(specific);
    for (const name of ['OCM_BASE_URL', 'OCM_USERNAME', 'OCM_PASSWORD', 'OCM_BEARER_TOKEN', 'OCM_APPLINK_TOKEN']) {
      expect(run.stdout).toContain(name);
    }
    if (args.length > 2) {
      expect(run.stdout).toMatch(/Examples:\n/);
      expect(run.stdout).toMatch(/Exit status:/);
      expect(run.stdout).toContain('--concurrency <n>');
      expect(run.stdout).toContain('--failed-out <path>');
    }
  });
});

// Last: every run above has been recorded.
it('no planted credential appears in the stdout or stderr of any run', () => {
  expect(cliOutputs.length).toBeGreaterThan(40);
  expect(leakedSecrets([PASSWORD, BEARER, APPLINK_TOKEN, BASIC, `${USER}:${PASSWORD}`])).toEqual([]);
});
