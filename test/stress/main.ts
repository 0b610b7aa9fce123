/**
 * `npm run test:stress [-- runs [jest arguments…]]`: runs the whole Jest suite `runs` times
 * (default 5) while two busy processes keep both cores occupied, and reports each run's failures
 * (file and test name, from Jest's --json report) and the warnings it printed. The last line is
 * `N runs, N failed`; the exit status is 1 if any run failed, 2 for bad arguments.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBusyLoad } from './busy-load.js';
import { type Failure, failuresOf, type JestJsonReport, parseStressArgs, warningsIn } from './jest-report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const JEST = createRequire(import.meta.url).resolve('jest/bin/jest');
const BUSY_PROCESSES = 2;
/** The busy processes end by themselves after this long per run, should everything else fail. */
const MAX_MS_PER_RUN = 20 * 60_000;

interface RunOutcome {
  tests: number;
  failures: Failure[];
  warnings: string[];
  ms: number;
  log: string;
}

const duration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
};

let stopJest: (() => void) | undefined;

/** One `jest --json` run; its output goes to `log`. */
function runJest(jestArgs: readonly string[], dir: string, index: number): Promise<RunOutcome> {
  const report = join(dir, `run-${index}.json`);
  const log = join(dir, `run-${index}.log`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--trace-deprecation', JEST, '--ci', '--json', `--outputFile=${report}`, ...jestArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  stopJest = () => child.kill('SIGTERM');
  const out = createWriteStream(log);
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      out.write(chunk);
    });
  }
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      stopJest = undefined;
      out.end();
      const ms = performance.now() - started;
      const warnings = warningsIn(output);
      if (!existsSync(report)) {
        const reason = `jest ended (${signal ?? `exit status ${code}`}) without writing its report`;
        done({ tests: 0, failures: [{ file: '(jest)', test: '(the run)', reason }], warnings, ms, log });
        return;
      }
      const json = JSON.parse(readFileSync(report, 'utf8')) as JestJsonReport;
      const failures = failuresOf(json, ROOT);
      if (failures.length === 0 && code !== 0) {
        failures.push({ file: '(jest)', test: '(the run)', reason: `exit status ${code ?? signal}` });
      }
      done({ tests: json.numTotalTests, failures, warnings, ms, log });
    });
  });
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseStressArgs>;
  try {
    args = parseStressArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`test:stress: ${(error as Error).message}\n`);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'metaclear-stress-'));
  const load = startBusyLoad(BUSY_PROCESSES, args.runs * MAX_MS_PER_RUN);
  // A crash or an interrupt must not leave the busy processes behind (a SIGKILL of this process
  // closes their IPC channel, which ends them too).
  process.on('exit', () => load.kill());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopJest?.();
      load.kill();
      process.stderr.write(`test:stress: ${signal}: stopped\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  const suite = args.jestArgs.length ? `jest ${args.jestArgs.join(' ')}` : 'the whole suite';
  process.stdout.write(
    `test:stress: ${suite}, ${args.runs} run(s), ${BUSY_PROCESSES} busy processes (pids ${load.pids.join(', ')}); logs in ${dir}\n`,
  );
  let failedRuns = 0;
  let warned = 0;
  try {
    for (let i = 1; i <= args.runs; i++) {
      const run = await runJest(args.jestArgs, dir, i);
      if (run.failures.length) failedRuns++;
      if (run.warnings.length) warned++;
      const status = run.failures.length ? `FAILED, ${run.failures.length} failure(s)` : 'passed';
      process.stdout.write(
        `run ${i}/${args.runs}: ${run.tests} tests, ${status} in ${duration(run.ms)} (${run.log})\n`,
      );
      for (const f of run.failures) process.stdout.write(`  ✕ ${f.file} › ${f.test}\n      ${f.reason}\n`);
      for (const w of run.warnings) process.stdout.write(`  warning: ${w}\n`);
    }
  } finally {
    await load.stop();
  }
  if (warned) process.stdout.write(`${warned} of ${args.runs} run(s) printed warnings\n`);
  process.stdout.write(`${args.runs} runs, ${failedRuns} failed\n`);
  return failedRuns ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`test:stress: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
