/**
 * Bulk runs at production scale, as an operator meets them: no outcome that can be misread, no
 * record lost. Each test reproduces an observation of the issue with real parts: the built CLI as
 * a subprocess, a server on 127.0.0.1, real files, real signals, a real file-size limit
 * (`ulimit -f`). Every wait is on an event (a request count, a line printed), never a delay.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Ajv } from 'ajv';
import { runCli as runInProcess } from '../../../src/cli/program.js';
import { type ClearingServer, startClearingServer } from '../../helpers/clearing-server.js';
import { builtCli, type CliResult, runCli, runPrinted, startCli } from '../../helpers/cli.js';

let server: ClearingServer;
let dir: string;
beforeEach(async () => {
  builtCli();
  server = await startClearingServer();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-bulk-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ OCM_BASE_URL: server.baseUrl, OCM_USERNAME: 'operator', OCM_PASSWORD: 'op-password-1234' });
// The run's mechanisms (journal, lock, fail-fast, what is printed) are the same with or without
// the backup step; these tests count one request per file. The backup: oracle-backup.test.ts.
const clear = (args: string[], collection = 'CollectionA', field = 'A1') => [
  'oracle',
  'delete-metadata',
  '--collection',
  collection,
  '--field',
  field,
  '--no-backup',
  ...args,
];
const NO_BACKUP = 'No backup (--no-backup): the values cleared cannot be restored by metaclear.\n';
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const ids = (n: number, prefix = 'F') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const idsIn = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
const printed = (run: CliResult, heading: RegExp) =>
  new RegExp(`^${heading.source}\\n {2}(.*)$`, 'm').exec(run.stdout)?.[1] as string;

describe('a journal is bound to its operation', () => {
  it('resuming with another collection and field is refused with exit 2, saying what differs; nothing sent', async () => {
    write('ids.txt', 'F1\nF2\n');
    const first = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(first.code).toBe(0);
    const sent = server.count;
    const other = await runCli(
      clear(['--files-from', 'ids.txt', '--journal', 'run.journal'], 'Personal.CollectionA', 'A2'),
      { env: env(), cwd: dir },
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      'is the journal of another operation: collection CollectionA in the journal, Personal.CollectionA in this run; fields A1 in the journal, A2 in this run',
    );
    expect(other.stdout).toBe('');
    expect(server.count).toBe(sent);
  });

  it('its header names the API, the origin, the collection and the sorted fields, never a credential', async () => {
    write('ids.txt', 'F1\n');
    const run = await runCli(
      [
        'oracle',
        'delete-metadata',
        '--collection',
        'C',
        '--field',
        'B',
        '--field',
        'A',
        '--files-from',
        'ids.txt',
        '--journal',
        'j',
      ],
      { env: env(), cwd: dir },
    );
    expect(run.code).toBe(0);
    const text = readFileSync(join(dir, 'j'), 'utf8');
    expect(JSON.parse(text.split('\n')[0] as string)).toMatchObject({
      api: 'oracle-documents',
      origin: new URL(server.baseUrl).origin,
      collection: 'C',
      fields: ['A', 'B'],
    });
    expect(text).not.toContain('op-password-1234');
  });

  it('an existing empty --journal file gets its header, so the next run resumes from it', async () => {
    write('ids.txt', 'F1\nF2\n');
    write('run.journal', '');
    const first = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(first.code).toBe(0);
    const again = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      `0 files: 0 succeeded, 0 failed, 2 skipped (done in an earlier run, per the journal).\n${NO_BACKUP}`,
    );
    expect(server.count).toBe(2);
  });

  it('a journal line longer than any ID line (an ID of 1,000 quotes, escaped) is read back', async () => {
    const long = '"'.repeat(1000);
    write('ids.txt', `${long}\nF2\n`);
    const first = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(first.code).toBe(0);
    expect(
      Math.max(
        ...readFileSync(join(dir, 'run.journal'), 'utf8')
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeGreaterThan(2000);
    const again = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('2 skipped');
    expect(server.count).toBe(2);
  });

  it('another input with the same journal is refused before anything is sent', async () => {
    write('ids.txt', 'F1\nF2\nF3\n');
    await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), { env: env(), cwd: dir });
    write('other.txt', 'F1\nX2\nF3\n');
    const other = await runCli(clear(['--files-from', 'other.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /^error: --files-from other\.txt is not the input the journal run\.journal was written for/m,
    );
    expect(server.count).toBe(3);
  });

  it('a second run is kept off a journal in use; the lock of a run killed with SIGKILL is taken over', async () => {
    write('ids.txt', `${ids(100).join('\n')}\n`);
    server.onRequest = () => 'hold';
    const first = startCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), { env: env(), cwd: dir });
    await server.received(8);
    const second = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`--journal run.journal is in use by another run (process ${first.child.pid} on `);
    expect(server.count).toBe(8);
    first.child.kill('SIGKILL');
    await first.result;
    server.onRequest = undefined;
    const third = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(third.code).toBe(0);
    expect(third.stdout).toBe(`100 files: 100 succeeded, 0 failed.\n${NO_BACKUP}`);
    expect(readdirSync(dir).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });
});

describe('cancellation that stops', () => {
  it('Ctrl-C without a journal: the printed command that runs the rest runs as printed, its backup a new file', async () => {
    const all = ids(40, 'REST-');
    write('ids.txt', `${all.join('\n')}\n`);
    const args = ['--files-from', 'ids.txt', '--backup', 'b.jsonl', '--concurrency', '1'];
    const cli = startCli(['oracle', 'delete-metadata', '--collection', 'CollectionA', '--field', 'A1', ...args], {
      env: env(),
      cwd: dir,
    });
    // A read and a DELETE per file: the 11th request (the read of the 6th file) is held.
    server.onRequest = (count) => (count >= 11 ? 'hold' : undefined);
    await server.received(11);
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect(run.code).toBe(130);
    const rest = printed(run, /Run the rest of the input with:/);
    // A backed-up run holds up to two files at --concurrency 1 (one may wait for the disk): the
    // 6th, held at the server, and perhaps the 7th, taken from the input; both are cancelled.
    const from = Number(/ --from-line (\d+)$/.exec(rest)?.[1]);
    expect([7, 8]).toContain(from);
    expect(rest).toBe(
      `metaclear oracle delete-metadata --collection CollectionA --field A1 --files-from ids.txt --backup b-2.jsonl --concurrency 1 --from-line ${from}`,
    );
    server.onRequest = undefined;
    const resumed = await runPrinted(rest, { env: env(), cwd: dir });
    expect(resumed.code).toBe(0);
    expect(all.slice(from - 1).every((id) => server.cleared.get(id) === 1)).toBe(true);
    // The header, then an entry (and the outcome of its clear) per file the rest of the input held.
    const entries = all.length - (from - 1);
    const lines = readFileSync(join(dir, 'b-2.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.filter((line) => line.startsWith('{"fileId":'))).toHaveLength(entries);
    expect(lines.filter((line) => line.startsWith('{"clear":"done"'))).toHaveLength(entries);
    expect(lines).toHaveLength(1 + 2 * entries);
  });

  it('the first Ctrl-C on a 1,000,000-line input stops pulling it: the files in flight cancelled, the rest recorded by its line', async () => {
    const all = ids(1_000_000);
    write('ids.txt', `${all.join('\n')}\n`);
    const cli = startCli(clear(['--files-from', 'ids.txt', '--failed-out', 'failed.txt']), {
      env: env(),
      cwd: dir,
      timeoutMs: 50_000,
    });
    server.onRequest = (count) => (count >= 500 ? 'hold' : undefined);
    await server.received(507); // 499 answered, 8 held in flight
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
    const failed = idsIn(join(dir, 'failed.txt'));
    expect(failed).toEqual(all.slice(499, 507));
    const counts = /^(\d+) files: (\d+) succeeded, (\d+) failed \((\d+) cancelled\)\.$/m.exec(run.stdout);
    expect(Number(counts?.[2])).toBe(499);
    const line = Number(/^Not run: --files-from ids\.txt from line (\d+) on \(not read\)\.$/m.exec(run.stdout)?.[1]);
    // Every file before that line was counted once: succeeded or cancelled.
    expect(Number(counts?.[1])).toBe(line - 1);
    expect(line).toBe(508);
    expect(server.count).toBe(507);
  });
});

describe('a record that cannot be written ends the run with a summary and a resume that works', () => {
  it('the journal under a file-size limit (ulimit -f): EFBIG stops the run, each file counted once, the printed resume finishes it', async () => {
    const all = ids(3000, 'LIMIT-');
    write('ids.txt', `${all.join('\n')}\n`);
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(builtCli())}`;
    const run = await new Promise<CliResult>((resolve, reject) => {
      // 40 blocks of 512 bytes: the journal reaches the limit after about 500 of its lines.
      const child = spawn(
        'sh',
        [
          '-c',
          `trap '' XFSZ; ulimit -f 40; exec ${cli} oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from ids.txt --journal run.journal --failed-out failed.txt`,
        ],
        { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env() } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: cannot write .*run\.journal \(EFBIG\)/m);
    const counts = /^(\d+) files: (\d+) succeeded, (\d+) failed(?: \((\d+) cancelled\))?\.$/m.exec(run.stdout);
    expect(counts).not.toBeNull();
    const [total, succeeded, failed] = [Number(counts?.[1]), Number(counts?.[2]), Number(counts?.[3])];
    expect(succeeded + failed).toBe(total);
    expect(total).toBeLessThan(3000);
    const notRun = Number(/^Not run: --files-from ids\.txt from line (\d+) on/m.exec(run.stdout)?.[1]);
    expect(notRun - 1).toBe(total);
    // The failed-IDs file (under the same limit, but small) holds every file that did not succeed.
    expect(idsIn(join(dir, 'failed.txt'))).toHaveLength(failed);
    const resume = printed(
      run,
      /Resume the run \(the journal skips the files that succeeded; those that failed or were cancelled are run again\) with:/,
    );
    expect(resume).toBe(
      'metaclear oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from ids.txt --journal run.journal --failed-out failed-2.txt',
    );
    const resumed = await runPrinted(resume, { env: env(), cwd: dir });
    expect(resumed.code).toBe(0);
    expect(all.every((id) => (server.cleared.get(id) ?? 0) >= 1)).toBe(true);
    const skipped = Number(/(\d+) skipped/.exec(resumed.stdout)?.[1]);
    expect(skipped + Number(/^(\d+) files:/m.exec(resumed.stdout)?.[1])).toBe(3000);
  });
});

describe('the exit status is decided after the last write and fsync', () => {
  it('a journal whose last line meets the file-size limit (ulimit -f) as the run ends: exit 1, said, and the printed resume finishes it', async () => {
    // A first run, unlimited, tells the size of each journal line; the second run's input is cut
    // so that its journal's last line is the one that crosses 512 bytes (ulimit -f 1).
    const all = ids(40, 'END-');
    write('probe-ids.txt', `${all.join('\n')}\n`);
    const probe = await runCli(
      clear(['--no-backup', '--files-from', 'probe-ids.txt', '--journal', 'probe.journal', '--concurrency', '1']),
      { env: env(), cwd: dir },
    );
    expect(probe.code).toBe(0);
    const lines = readFileSync(join(dir, 'probe.journal'), 'utf8').split('\n');
    let size = Buffer.byteLength(lines[0] as string) + 1;
    let files = 0;
    while (size + Buffer.byteLength(lines[files + 1] as string) + 1 <= 512)
      size += Buffer.byteLength(lines[++files] as string) + 1;
    files++;
    write('ids.txt', `${all.slice(0, files).join('\n')}\n`);
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(builtCli())}`;
    const run = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(
        'sh',
        [
          '-c',
          `trap '' XFSZ; ulimit -f 1; exec ${cli} oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from ids.txt --journal run.journal --concurrency 1`,
        ],
        { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env() } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    // The journal lacks (a part of) its last line: the run did not record every file it ran.
    expect(
      readFileSync(join(dir, 'run.journal'), 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}')),
    ).toHaveLength(files);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: cannot write .*run\.journal \(EFBIG\)/m);
    const resume = printed(
      run,
      /Resume the run \(the journal skips the files that succeeded; those that failed or were cancelled are run again\) with:/,
    );
    expect(resume).toBe(
      'metaclear oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from ids.txt --journal run.journal --concurrency 1',
    );
    const resumed = await runPrinted(resume, { env: env(), cwd: dir });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`^1 file: 1 succeeded, 0 failed, ${files - 1} skipped`, 'm'));
  });
});

describe('fail fast on failures no file can survive', () => {
  it('a wrong password: after 10 answers in a row refusing it, the run stops and says why; the rest is not sent', async () => {
    write('ids.txt', `${ids(5000).join('\n')}\n`);
    server.onRequest = () => ({ status: 401, body: { errorCode: '-1', errorMessage: 'bad credentials' } });
    const run = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), { env: env(), cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: 10 answers in a row refused the credential \(HTTP 401 Unauthorized\)/m);
    expect(server.count).toBeLessThanOrEqual(10 + 8);
    expect(run.stdout).toMatch(/^Not run: --files-from ids\.txt from line \d+ on \(not read\)\.$/m);
    expect(
      printed(
        run,
        /Resume the run \(the journal skips the files that succeeded; those that failed or were cancelled are run again\) with:/,
      ),
    ).toContain('--journal run.journal');
  });

  it('stopped on 403s with its backup on: the summary says no file could be read, not that no backup was needed', async () => {
    write('ids.txt', `${ids(40).join('\n')}\n`);
    server.onRequest = () => ({ status: 403, body: { errorCode: '-20', errorMessage: 'insufficient privileges' } });
    const run = await runCli(
      ['oracle', 'delete-metadata', '--collection', 'CollectionA', '--field', 'A1', '--files-from', 'ids.txt'],
      { env: env(), cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: 10 answers in a row refused the credential \(HTTP 403 Forbidden\)/m);
    expect(run.stdout).not.toMatch(/none needed/);
    expect(run.stdout).toMatch(/^Backup: none written: no file's values were read, so none was cleared\.$/m);
  });

  it('Oracle errorCode -20 (403) counts too; --max-auth-failures 0 never stops', async () => {
    write('ids.txt', `${ids(40).join('\n')}\n`);
    server.onRequest = () => ({ status: 403, body: { errorCode: '-20', errorMessage: 'insufficient privileges' } });
    const stopped = await runCli(clear(['--files-from', 'ids.txt', '--max-auth-failures', '3', '--concurrency', '1']), {
      env: env(),
      cwd: dir,
    });
    expect(stopped.stdout).toMatch(/^Stopped: 3 answers in a row refused the credential \(HTTP 403 Forbidden\)/m);
    expect(server.count).toBe(3);
    const all = await runCli(clear(['--files-from', 'ids.txt', '--max-auth-failures', '0']), { env: env(), cwd: dir });
    expect(all.code).toBe(1);
    expect(server.count).toBe(43);
  });
});

describe('output an operator can trust', () => {
  it('--json: the summary of a stopped run says why, from which line the input was not run, and how to resume, as the schema documents', async () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'cli-json.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    write('ids.txt', `${ids(200).join('\n')}\n`);
    server.onRequest = () => ({ status: 401, body: { errorCode: '-1', errorMessage: 'bad credentials' } });
    const run = await runCli(clear(['--files-from', 'ids.txt', '--json', '--concurrency', '1']), {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) expect(validate(line) ? [] : validate.errors).toEqual([]);
    const summary = (lines.at(-1) as { summary: Record<string, unknown> }).summary;
    expect(summary).toMatchObject({
      total: 10,
      failed: 10,
      cancelled: 0,
      stopped: { reason: 'credential' },
      notRunFromLine: 11,
      journal: null,
      resume: null,
      exitCode: 1,
    });
    expect(summary.rest).toBe(
      'metaclear oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from ids.txt --json --concurrency 1 --from-line 11',
    );
    expect(server.count).toBe(10);
  });

  it('control characters from the server and the input are escaped in what is printed', async () => {
    write('ids.txt', 'BAD\u001b[2JID\nPLAIN\n');
    server.onRequest = () => ({ status: 404, body: { errorCode: '-16', errorMessage: 'gone\u001b]0;owned\u0007\r' } });
    const run = await runCli(clear(['--files-from', 'ids.txt']), { env: env(), cwd: dir });
    expect(run.code).toBe(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be printed
    expect(run.stderr + run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(run.stderr).toContain('error: BAD\\x1b[2JID: fileId: contains a control character');
    expect(run.stderr).toContain(
      'error: PLAIN: deleteFileMetadataValues: the server answered 404 Not Found: gone\\x1b]0;owned\\x07 (HTTP 404)',
    );
  });

  it('--json waits for its reader: no more than a few lines are ever written ahead of a reader that does not read', async () => {
    write('ids.txt', `${ids(600).join('\n')}\n`);
    let pending = 0;
    let most = 0;
    let drain: (() => void) | undefined;
    const stdout = {
      write: (text: string) => {
        pending += text.split('\n').length - 1;
        most = Math.max(most, pending);
        return pending < 20; // a pipe that holds 20 lines
      },
      once: (_event: 'drain', listener: () => void) => {
        drain = listener;
      },
    };
    const handlers = new Map<string, () => void>();
    const done = runInProcess({
      argv: clear(['--files-from', 'ids.txt', '--json', '--failed-out', 'f.txt']),
      env: env(),
      stdin: Readable.from([]),
      stdout,
      stderr: { write: () => true },
      isTTY: false,
      cwd: dir,
      onSignal: (signal, handler) => {
        handlers.set(signal, handler);
        return () => handlers.delete(signal);
      },
    });
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    while (!finished) {
      // The reader reads only when the CLI waits for it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const resume = drain;
      if (resume) {
        drain = undefined;
        pending = 0;
        resume();
      }
    }
    expect(await done).toBe(0);
    expect(server.count).toBe(600);
    expect(most).toBeLessThanOrEqual(21);
  });
});
