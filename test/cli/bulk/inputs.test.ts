/**
 * Bulk inputs that are not regular files, and other faults of the bulk pipeline found in review:
 * each test reproduces what an operator observed, with the built CLI as a subprocess, a server on
 * 127.0.0.1, real pipes and FIFOs, real signals. Every wait is on an event, never a delay.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClearingServer, startClearingServer } from '../../helpers/clearing-server.js';
import { builtCli, type CliResult, runCli, runPrinted, startCli } from '../../helpers/cli.js';

let server: ClearingServer;
let dir: string;
beforeEach(async () => {
  builtCli();
  server = await startClearingServer();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-inputs-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ OCM_BASE_URL: server.baseUrl, OCM_USERNAME: 'operator', OCM_PASSWORD: 'op-password-1234' });
const clear = (args: string[]) => [
  'oracle',
  'delete-metadata',
  '--collection',
  'CollectionA',
  '--field',
  'A1',
  ...args,
];

describe('an input that can be read only once', () => {
  it('--files-from <(printf …) runs every ID in it, once', async () => {
    const run = await runPrinted(
      `metaclear oracle delete-metadata --collection CollectionA --field A1 --no-backup --files-from <(printf 'F1\\nF2\\nF3\\n')`,
      { shell: 'bash', env: env(), cwd: dir },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      '3 files: 3 succeeded, 0 failed.\nNo backup (--no-backup): the values cleared cannot be restored by metaclear.\n',
    );
    expect(run.code).toBe(0);
    expect([...server.cleared.keys()].sort()).toEqual(['F1', 'F2', 'F3']);
    expect(server.count).toBe(3);
  });

  it('a named pipe with a writer: the run reads it once and completes', async () => {
    const fifo = join(dir, 'ids.fifo');
    execFileSync('mkfifo', [fifo]);
    const cli = startCli(clear(['--files-from', fifo, '--no-backup']), { env: env(), cwd: dir, timeoutMs: 20_000 });
    // Blocks until the CLI opens the FIFO to read.
    const fd = openSync(fifo, 'w');
    writeSync(fd, 'F1\nF2\n');
    closeSync(fd);
    const run = await cli.result;
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      '2 files: 2 succeeded, 0 failed.\nNo backup (--no-backup): the values cleared cannot be restored by metaclear.\n',
    );
    expect(run.code).toBe(0);
    expect(server.count).toBe(2);
  });

  it('a named pipe whose writer stays open: one SIGINT ends the run with its summary', async () => {
    const fifo = join(dir, 'ids.fifo');
    execFileSync('mkfifo', [fifo]);
    const cli = startCli(clear(['--files-from', fifo, '--journal', 'run.journal', '--json']), {
      env: env(),
      cwd: dir,
      timeoutMs: 20_000,
    });
    const fd = openSync(fifo, 'w');
    try {
      writeSync(fd, 'F1\nF2\n');
      // Both answered and recorded: the run waits on the pipe for more.
      await cli.waitForStdout(/"fileId":"F1"[^\n]*\n[^\n]*"fileId":"F2"|"fileId":"F2"[^\n]*\n[^\n]*"fileId":"F1"/);
      cli.child.kill('SIGINT');
      const run = await cli.result;
      expect(run.code).toBe(130);
      const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) as string).summary;
      expect(summary).toMatchObject({ total: 2, succeeded: 2, interrupted: 'SIGINT', journal: expect.any(String) });
      expect(summary.resume).toContain('--journal run.journal');
    } finally {
      closeSync(fd);
    }
  });
});

describe('a counted input that changes under the run', () => {
  it('an input cut short after it was counted is an error that says so', async () => {
    const path = join(dir, 'ids.txt');
    // Long IDs: 300 lines are several reads' worth, so the run cannot have read them all at the first request.
    const long = (i: number) => `F${String(i).padStart(999, '0')}`;
    writeFileSync(path, `${Array.from({ length: 300 }, (_, i) => long(i)).join('\n')}\n`);
    server.onRequest = (count) => {
      if (count === 1) writeFileSync(path, `${long(0)}\n`);
      return undefined;
    };
    const run = await runCli(clear(['--files-from', 'ids.txt']), { env: env(), cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--files-from ids\.txt changed during the run: it held 300 file IDs when counted, \d+ now/,
    );
    expect(server.count).toBeLessThan(300);
  });
});

describe('server text in the summary and the records', () => {
  const hostile = '\u001b[31mRED\u001b]0;pwned\u0007';

  it('an errorCode with control characters is escaped in the summary and the failed-IDs file', async () => {
    writeFileSync(join(dir, 'ids.txt'), 'F1\nF2\n');
    server.onRequest = () => ({ status: 200, body: { errorCode: hostile } });
    const run = await runCli(clear(['--files-from', 'ids.txt', '--failed-out', 'failed.txt']), {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const failed = readFileSync(join(dir, 'failed.txt'), 'utf8');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be printed
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/;
    expect(run.stdout + run.stderr).not.toMatch(controls);
    expect(failed).not.toMatch(controls);
    expect(run.stdout).toContain('2 errorCode \\x1b[31mRED\\x1b]0;pwned\\x07');
  });

  it('one distinct code per file: at most 20 causes are named, the rest counted as other; a huge code is cut short', async () => {
    writeFileSync(join(dir, 'ids.txt'), `${Array.from({ length: 30 }, (_, i) => `F${i}`).join('\n')}\n`);
    server.onRequest = (count) => ({ status: 200, body: { errorCode: `E${count}-${'x'.repeat(100_000)}` } });
    const run = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal', '--json']), {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) as string).summary;
    const causes = Object.entries(summary.causes as Record<string, number>);
    expect(causes.length).toBe(21);
    expect(summary.causes.other).toBe(10);
    expect(causes.reduce((sum, [, n]) => sum + n, 0)).toBe(30);
    for (const [cause] of causes) expect(cause.length).toBeLessThanOrEqual(200);
    const longest = Math.max(
      ...readFileSync(join(dir, 'run.journal'), 'utf8')
        .split('\n')
        .map((l) => l.length),
    );
    expect(longest).toBeLessThan(2000);
  });

  it("an input that is not the journal's names the IDs with bidi controls escaped", async () => {
    writeFileSync(join(dir, 'ids.txt'), 'F1\nF2\n');
    server.onRequest = (_count, fileId) => (fileId === 'F2' ? { status: 404, body: {} } : undefined);
    const first = await runCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(first.code).toBe(1);
    server.onRequest = () => ({ status: 500, body: {} });
    writeFileSync(join(dir, 'other.txt'), 'F1\nF\u202e2\n');
    const run = await runCli(clear(['--files-from', 'other.txt', '--journal', 'run.journal']), {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('\u202e');
    expect(run.stderr).toContain('F\\u{202e}2');
  });
});

describe('--json with a reader that has stopped reading', () => {
  it('one SIGINT ends the run, and its summary with the resume command reaches stderr', async () => {
    writeFileSync(join(dir, 'ids.txt'), `${Array.from({ length: 5000 }, (_, i) => `F${i}`).join('\n')}\n`);
    // Each answer (and so each --json line) is 200 kB, more than the pipe and the reader's buffer
    // hold. With 8 calls at a time, a 9th request means a result was taken and its line written:
    // the pipe is full, and stays so. From the 9th on the server answers no more.
    const pad = 'x'.repeat(200_000);
    server.onRequest = (count) => (count > 8 ? 'hold' : { status: 200, body: { errorCode: '0', pad } });
    const child = spawn(
      process.execPath,
      [builtCli(), ...clear(['--files-from', 'ids.txt', '--journal', 'run.journal', '--json'])],
      { cwd: dir, env: { ...process.env, ...env(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // stdout is never read: the pipe fills and stays full.
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await server.received(9);
    child.kill('SIGINT');
    const { code, signal } = await ended;
    clearTimeout(timer);
    child.stdout.destroy();
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(stderr).toMatch(/Interrupted \(SIGINT\)/);
    expect(stderr).toMatch(/metaclear oracle delete-metadata .*--journal run\.journal/);
  });
});

describe('what the summary says after a stop, and the commands it prints', () => {
  const summaryOf = (run: CliResult) => JSON.parse(run.stdout.trim().split('\n').at(-1) as string).summary;

  it('a credential stop says how many files in flight were cancelled, not that no other file was sent', async () => {
    writeFileSync(join(dir, 'ids.txt'), `${Array.from({ length: 100 }, (_, i) => `F${i}`).join('\n')}\n`);
    server.onRequest = (count) => (count > 10 ? 'hold' : { status: 401, body: { errorCode: '-1' } });
    const run = await runCli(clear(['--files-from', 'ids.txt', '--max-auth-failures', '10']), { env: env(), cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('no other file was sent');
    const said = /no more files were started; (\d+) in flight (?:was|were) cancelled/.exec(run.stdout);
    expect(said).not.toBeNull();
    const cancelled = Number(said?.[1]);
    expect(run.stdout).toContain(`${cancelled} cancelled`);
    expect(cancelled).toBeGreaterThanOrEqual(server.count - 10);
    expect(cancelled).toBeGreaterThan(0);
  });

  it('--from-line past the end of the input is an error that says how many lines it has; nothing sent', async () => {
    writeFileSync(join(dir, 'ids.txt'), 'F1\nF2\n');
    const run = await runCli(clear(['--files-from', 'ids.txt', '--from-line', '50']), { env: env(), cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from-line 50: --files-from ids.txt has 2 lines');
    expect(server.count).toBe(0);
  });

  it('--from-line past the end of stdin is an error too', async () => {
    const run = await runCli(clear(['--files-from', '-', '--from-line', '50']), {
      env: env(),
      cwd: dir,
      stdin: 'F1\nF2\n',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from-line 50: --files-from - (stdin) has 2 lines up to its last file ID');
    expect(server.count).toBe(0);
  });

  it('after a stop with a journal only the resume command is printed; run as printed it clears each file not done once', async () => {
    const all = Array.from({ length: 6 }, (_, i) => `F${i}`);
    writeFileSync(join(dir, 'ids.txt'), `${all.join('\n')}\n`);
    server.onRequest = (count) => (count > 2 ? 'hold' : undefined);
    const cli = startCli(clear(['--files-from', 'ids.txt', '--journal', 'run.journal', '--concurrency', '2']), {
      env: env(),
      cwd: dir,
    });
    await server.received(4);
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect(run.code).toBe(130);
    expect(run.stdout).not.toContain('Re-run them');
    expect(run.stdout).toMatch(/^Resume the run \(.*cancelled.*\) with:$/m);
    const resume = /^Resume the run .*\n {2}(.*)$/m.exec(run.stdout)?.[1] as string;
    server.onRequest = undefined;
    const again = await runPrinted(resume, { env: env(), cwd: dir });
    expect(again.code).toBe(0);
    for (const id of all) expect(server.cleared.get(id)).toBe(1);
  });

  it('the re-run command of a run with --backup writes a backup of its own, and runs as printed', async () => {
    writeFileSync(join(dir, 'ids.txt'), 'F1\nF2\n');
    server.onRequest = (_count, fileId) => (fileId === 'F2' ? { status: 503, body: {} } : undefined);
    const run = await runCli(clear(['--files-from', 'ids.txt', '--backup', 'b.jsonl', '--retries', '0', '--json']), {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const rerun = summaryOf(run).rerun as string;
    expect(rerun).not.toContain('b.jsonl');
    server.onRequest = () => undefined;
    const again = await runPrinted(rerun, { env: env(), cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(summaryOf(again)).toMatchObject({ succeeded: 1, failed: 0 });
    expect(existsSync(join(dir, 'b.jsonl'))).toBe(true);
  });

  it('the re-run command keeps every safety flag of the run, and they take effect', async () => {
    writeFileSync(join(dir, 'ids.txt'), 'F1\nF2\n');
    server.onRequest = (_count, fileId) => (fileId === 'F2' ? { status: 404, body: { errorCode: '-16' } } : undefined);
    const flags = ['--max-rate', '50/s', '--max-auth-failures', '3', '--retries', '0', '--attempt-timeout', '7'];
    const run = await runCli(clear(['--files-from', 'ids.txt', ...flags, '--failed-out', 'failed.txt', '--json']), {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const rerun = summaryOf(run).rerun as string;
    for (const flag of ['--max-rate 50/s', '--max-auth-failures 3', '--retries 0', '--attempt-timeout 7']) {
      expect(rerun).toContain(flag);
    }
    // --retries 0 takes effect: a 503 is not sent again (the default would send it 3 times).
    let sentF2 = 0;
    server.onRequest = (_count, fileId) => {
      if (fileId !== 'F2') return undefined;
      sentF2++;
      return { status: 503, body: {} };
    };
    const again = await runPrinted(rerun, { env: env(), cwd: dir });
    expect(again.code).toBe(1);
    expect(sentF2).toBe(1);
  });
});
