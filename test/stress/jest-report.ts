/** What one Jest run produced: its failures (from `--json`) and the warnings it printed. */

/** The parts of Jest's `--json` report that say what failed. */
export interface JestJsonReport {
  numTotalTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

export interface Failure {
  /** The test file, relative to the repository. */
  file: string;
  /** The test's full name, or what kept the file from running. */
  test: string;
  /** The first line of the failure message. */
  reason: string;
}

const firstLine = (text: string | undefined): string =>
  (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '') ?? '';

/** Every failed test, and every file that failed without a failed test (it did not load, or a hook threw). */
export function failuresOf(report: JestJsonReport, root: string): Failure[] {
  const failures: Failure[] = [];
  for (const file of report.testResults) {
    const relative = file.name.startsWith(`${root}/`) ? file.name.slice(root.length + 1) : file.name;
    const failed = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failed) {
      failures.push({ file: relative, test: test.fullName, reason: firstLine(test.failureMessages?.[0]) });
    }
    if (file.status === 'failed' && failed.length === 0) {
      failures.push({ file: relative, test: '(the file as a whole)', reason: firstLine(file.message) });
    }
  }
  return failures;
}

/**
 * Lines of a run's output that are warnings: Node's process warnings (`(node:1234) Warning: …`,
 * `DeprecationWarning`, `MaxListenersExceededWarning`, `ExperimentalWarning`), Jest's notes about
 * workers or handles left open, and console output of tests (`console.log` and the like).
 */
export function warningsIn(output: string): string[] {
  const patterns = [
    /^\(node:\d+\) /,
    /\b[A-Z][A-Za-z]*Warning\b/,
    /A worker process has failed to exit gracefully/,
    /Jest did not exit one second after the test run has completed/,
    /Jest has detected the following \d+ open handles?/,
    /^\s*console\.(log|info|warn|error|debug)\b/,
  ];
  const lines = output.split('\n').filter((line) => patterns.some((pattern) => pattern.test(line)));
  return [...new Set(lines.map((line) => line.trim()))];
}

export interface StressArgs {
  runs: number;
  /** Passed on to Jest (test path patterns, options). */
  jestArgs: string[];
}

/** `[runs] [jest arguments…]`: runs defaults to 5; anything after it goes to Jest. */
export function parseStressArgs(argv: readonly string[], defaultRuns = 5): StressArgs {
  const [first, ...rest] = argv;
  if (first === undefined || !/^[+-]?\d+(\.\d*)?$/.test(first)) return { runs: defaultRuns, jestArgs: [...argv] };
  const runs = Number(first);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(
      `the number of runs: got ${first}; expected a positive integer (e.g. npm run test:stress -- 10)`,
    );
  }
  return { runs, jestArgs: rest };
}
