/** What test:stress reads from a Jest run: failures from the --json report, warnings from the output, its arguments. */
import { failuresOf, type JestJsonReport, parseStressArgs, warningsIn } from './jest-report.js';

describe('failuresOf', () => {
  const report: JestJsonReport = {
    numTotalTests: 4,
    numFailedTests: 1,
    testResults: [
      {
        name: '/repo/test/core/faults.test.ts',
        status: 'failed',
        assertionResults: [
          { fullName: 'jobs a job that fails', status: 'passed', failureMessages: [] },
          {
            fullName: 'jobs polls that fail in between are retried',
            status: 'failed',
            failureMessages: [
              '\n  Error: expect(received).toEqual(expected) // deep equality\n\nExpected: [false, true]',
            ],
          },
        ],
      },
      { name: '/repo/test/a.test.ts', status: 'passed', assertionResults: [{ fullName: 'ok', status: 'passed' }] },
      {
        name: '/repo/test/broken.test.ts',
        status: 'failed',
        message: '  ● Test suite failed to run\n\n    Cannot find module',
        assertionResults: [],
      },
    ],
  };

  it('names the file and the test of each failure, with the first line of its message', () => {
    expect(failuresOf(report, '/repo')).toEqual([
      {
        file: 'test/core/faults.test.ts',
        test: 'jobs polls that fail in between are retried',
        reason: 'Error: expect(received).toEqual(expected) // deep equality',
      },
      { file: 'test/broken.test.ts', test: '(the file as a whole)', reason: '● Test suite failed to run' },
    ]);
  });

  it('finds nothing in a run that passed', () => {
    expect(failuresOf({ ...report, testResults: [report.testResults[1] as never] }, '/repo')).toEqual([]);
  });
});

describe('warningsIn', () => {
  it('picks out process warnings, Jest notes about workers and handles, and console output of tests', () => {
    const output = [
      'PASS test/a.test.ts',
      "(node:123) [JEST-01] DeprecationWarning: 'matchers' property was accessed on [Object] after it was soft deleted",
      '  Jest deletes objects that were set on the global scope between test files to reduce memory leaks.',
      '(node:123) MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners added',
      '(node:77) ExperimentalWarning: VM Modules is an experimental feature',
      'A worker process has failed to exit gracefully and has been force exited...',
      '  console.log',
      '    hello from a test',
      'Tests:       498 passed, 498 total',
      "(node:123) [JEST-01] DeprecationWarning: 'matchers' property was accessed on [Object] after it was soft deleted",
    ].join('\n');
    expect(warningsIn(output)).toEqual([
      "(node:123) [JEST-01] DeprecationWarning: 'matchers' property was accessed on [Object] after it was soft deleted",
      '(node:123) MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners added',
      '(node:77) ExperimentalWarning: VM Modules is an experimental feature',
      'A worker process has failed to exit gracefully and has been force exited...',
      'console.log',
    ]);
  });

  it('finds nothing in a clean run', () => {
    expect(
      warningsIn('PASS test/a.test.ts\n\nTest Suites: 1 passed, 1 total\nTests:       3 passed, 3 total\n'),
    ).toEqual([]);
  });
});

describe('parseStressArgs', () => {
  it.each<[string[], { runs: number; jestArgs: string[] }]>([
    [[], { runs: 5, jestArgs: [] }],
    [['10'], { runs: 10, jestArgs: [] }],
    [['2', 'test/sandbox', '--verbose'], { runs: 2, jestArgs: ['test/sandbox', '--verbose'] }],
    [['test/sandbox'], { runs: 5, jestArgs: ['test/sandbox'] }],
  ])('%j', (argv, expected) => {
    expect(parseStressArgs(argv)).toEqual(expected);
  });

  it.each(['0', '-3', '2.5'])('refuses %s runs, saying what is expected', (runs) => {
    expect(() => parseStressArgs([runs])).toThrow(
      `the number of runs: got ${runs}; expected a positive integer (e.g. npm run test:stress -- 10)`,
    );
  });
});
