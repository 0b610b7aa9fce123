/**
 * Bulk inputs that are not regular files, and other faults of the bulk pipeline found in review:
 * each test reproduces what an operator observed, with the built CLI as a subprocess, a server on
 * 127.0.0.1, real pipes and FIFOs, real signals. Every wait is on an event, never a delay.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClearingServer, startClearingServer } from '../helpers/clearing-server.js';
import { builtCli, type CliResult, runCli, startCli } from '../helpers/cli.js';

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

/** Runs the built CLI through bash, so that the command line may use `<(…)`. */
function runInBash(script: string): Promise<CliResult> {
  const child = spawn('bash', ['-c', script], {
    cwd: dir,
    env: { ...process.env, ...env(), NO_COLOR: '1', CLI: builtCli() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe('an input that can be read only once', () => {
  it('--files-from <(printf …) runs every ID in it, once', async () => {
    const run = await runInBash(
      `"${process.execPath}" "$CLI" oracle delete-metadata --collection CollectionA --field A1 --files-from <(printf 'F1\\nF2\\nF3\\n')`,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('3 files: 3 succeeded, 0 failed.\n');
    expect(run.code).toBe(0);
    expect([...server.cleared.keys()].sort()).toEqual(['F1', 'F2', 'F3']);
    expect(server.count).toBe(3);
  });

  it('a named pipe with a writer: the run reads it once and completes', async () => {
    const fifo = join(dir, 'ids.fifo');
    execFileSync('mkfifo', [fifo]);
    const cli = startCli(clear(['--files-from', fifo]), { env: env(), cwd: dir, timeoutMs: 20_000 });
    // Blocks until the CLI opens the FIFO to read.
    const fd = openSync(fifo, 'w');
    writeSync(fd, 'F1\nF2\n');
    closeSync(fd);
    const run = await cli.result;
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('2 files: 2 succeeded, 0 failed.\n');
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
