/** Runs a command as a child process and measures its wall-clock time (and, on request, its peak RSS). */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const RSS_FILE_ENV = 'METACLEAR_BENCH_RSS_FILE';
/**
 * Preloaded into a Node child to report its peak RSS: what bench/rss-probe.ts does, as a data:
 * URL, so that the child needs no TypeScript loader (tsx would slow down what is measured).
 */
const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs';
const target = process.env.${RSS_FILE_ENV};
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));`,
)}`;

/**
 * The environment of every child: Redocly CLI otherwise checks npm for a newer version and,
 * before sending telemetry, probes the network with a one-second timeout; offline, both
 * would be measured as if they were the tool's work.
 */
export const CHILD_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  NO_COLOR: '1',
};

export interface Timed {
  /** Wall-clock time from spawn to exit, in milliseconds. */
  ms: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Exit statuses besides 0 that are the run's expected ending (e.g. 1 for a run that is to stop). */
  okExitCodes?: readonly number[];
}

/** Runs `file args` and resolves to its wall-clock time; rejects, with its output, if it fails. */
export async function timeCommand(file: string, args: readonly string[], options: RunOptions): Promise<Timed> {
  return timeWithEnv(file, args, options, CHILD_ENV);
}

async function timeWithEnv(
  file: string,
  args: readonly string[],
  options: RunOptions,
  env: NodeJS.ProcessEnv,
): Promise<Timed> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await execFileAsync(file, args, {
      cwd: options.cwd,
      env,
      maxBuffer: 64 * 2 ** 20,
      encoding: 'utf8',
    });
    return { ms: performance.now() - started, stdout, stderr };
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string; code?: unknown };
    if (typeof e.code === 'number' && options.okExitCodes?.includes(e.code)) {
      return { ms: performance.now() - started, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
    throw new Error(`${[file, ...args].join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/**
 * Runs a JavaScript file (`node [flags] <script> args`; no TypeScript loader) and also reports the peak
 * resident set size of that process, in MB: the child preloads the probe above, which writes
 * `process.resourceUsage().maxRSS` (getrusage's ru_maxrss) to a file as it exits. This needs
 * nothing outside Node (GNU time, which `/usr/bin/time -v` is, is not installed on every Debian).
 */
export async function timeNodeScript(
  script: string,
  args: readonly string[],
  options: RunOptions,
  nodeFlags: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Timed & { peakRssMB: number }> {
  const rssFile = join(tmpdir(), `metaclear-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const timed = await timeWithEnv(process.execPath, [...nodeFlags, '--import', RSS_PROBE, script, ...args], options, {
      ...CHILD_ENV,
      ...env,
      [RSS_FILE_ENV]: rssFile,
    });
    const kilobytes = Number(readFileSync(rssFile, 'utf8'));
    return { ...timed, peakRssMB: kilobytes / 1024 };
  } finally {
    rmSync(rssFile, { force: true });
  }
}
