/**
 * Runs the built CLI (dist/esm/cli/main.js) as a child process, as an operator would, and keeps
 * every output it produced so that a test file can check no credential ever appeared in one.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
/** The built CLI; METACLEAR_CLI_PATH runs the tests against another build (e.g. an older one, to see a test fail). */
export const CLI_PATH = process.env.METACLEAR_CLI_PATH ?? join(REPO, 'dist', 'esm', 'cli', 'main.js');

let scratch: string | undefined;
/**
 * The folder a run works in when its test names none: a fresh one per test process, removed when
 * the process ends, so that a file the CLI writes by default (a backup named after the time, a
 * journal given as a relative path) never lands in the repository.
 */
export function scratchCwd(): string {
  if (scratch === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'metaclear-cli-cwd-'));
    scratch = folder;
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  }
  return scratch;
}

/** The built CLI's path; fails with what to do when it has not been built. */
export function builtCli(): string {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} does not exist: run npm run build first`);
  return CLI_PATH;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to a clean environment (no EDGE_IMPULSE_*, OCM_* or proxy variable of the host). */
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed. */
  stdin?: string;
  /** Killed (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
}

/** stdout + stderr of every run so far, for the credential scans. */
export const cliOutputs: string[] = [];

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(EDGE_IMPULSE_|OCM_|https?_proxy$|no_proxy$)/i.test(name)) env[name] = value;
  }
  // A day between progress lines unless a test sets the interval: a long bulk run on a busy machine
  // would otherwise print some into a test's stderr (a job's progress lines, one per poll, stay).
  return { ...env, NO_COLOR: '1', METACLEAR_PROGRESS_INTERVAL: '86400', ...extra };
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches (rejects if the process ends first). */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves when stderr matches (rejects if the process ends first). */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  result: Promise<CliResult>;
}

export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [builtCli(), ...args], {
    cwd: options.cwd ?? scratchCwd(),
    env: cleanEnv(options.env),
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  type Waiter = {
    pattern: RegExp;
    stream: 'stdout' | 'stderr';
    resolve(m: RegExpMatchArray): void;
    reject(e: Error): void;
  };
  const waiters: Waiter[] = [];
  const text = (stream: 'stdout' | 'stderr') => (stream === 'stdout' ? stdout : stderr);
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const match = text(waiter.stream).match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    check();
  });
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolveMatch, reject) => {
      const match = text(stream).match(pattern);
      if (match) resolveMatch(match);
      else waiters.push({ pattern, stream, resolve: resolveMatch, reject });
    });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      cliOutputs.push(stdout, stderr);
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(
            `the CLI ended before printing ${waiter.pattern} on ${waiter.stream}; stdout: ${stdout}; stderr: ${stderr}`,
          ),
        );
      }
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: (pattern) => waitFor('stdout', pattern),
    waitForStderr: (pattern) => waitFor('stderr', pattern),
    result,
  };
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** The planted values that appear in any output so far (expected: none). */
export function leakedSecrets(secrets: readonly string[]): string[] {
  return secrets.filter((secret) => cliOutputs.some((output) => output.includes(secret)));
}

let binDir: string | undefined;
/** A folder with a `metaclear` executable that runs the built CLI: what the printed commands call. */
function metaclearOnPath(): string {
  if (binDir === undefined) {
    binDir = mkdtempSync(join(tmpdir(), 'metaclear-bin-'));
    const script = join(binDir, 'metaclear');
    writeFileSync(script, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(builtCli())} "$@"\n`);
    chmodSync(script, 0o755);
  }
  return binDir;
}

/**
 * Runs a command the CLI printed (a re-run, a resume) exactly as printed, through `sh -c` (or
 * `bash -c` with `shell: 'bash'`, for a command line with `<(…)`), with `metaclear` on the PATH
 * running the built CLI.
 */
export function runPrinted(command: string, options: CliOptions & { shell?: 'sh' | 'bash' } = {}): Promise<CliResult> {
  const env = cleanEnv(options.env);
  env.PATH = `${metaclearOnPath()}:${env.PATH ?? ''}`;
  const child = spawn(options.shell ?? 'sh', ['-c', command], { cwd: options.cwd ?? scratchCwd(), env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  else child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      cliOutputs.push(stdout, stderr);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}
