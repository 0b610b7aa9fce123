/**
 * Runs an ES module body in a fresh Node process (through tsx), with the library's
 * createEdgeImpulseClient / createOracleDocumentsClient and `out(value)` (prints JSON) in
 * scope: for what only a whole process shows (process warnings, trusted certificates).
 * The host's proxy variables are not passed on (a test sets those it means).
 * A child still running after 45 s is killed, well inside Jest's 60 s test timeout, so a hang
 * fails the test with the child's stderr instead of a bare timeout.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');

function withoutProxy(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(https?_proxy|no_proxy)$/i.test(name)));
}

export function runChildScript(
  body: string,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  const script = `
    import { createEdgeImpulseClient, createOracleDocumentsClient } from ${JSON.stringify(join(REPO, 'src', 'index.ts'))};
    const out = (v) => process.stdout.write(JSON.stringify(v));
    ${body}
    process.exit(0);`;
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: REPO,
        timeout: 45_000,
        killSignal: 'SIGKILL',
        env: { ...withoutProxy(process.env), ...env },
        maxBuffer: 4 * 1024 * 1024,
      },
      (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done({ stdout, stderr })),
    );
  });
}
