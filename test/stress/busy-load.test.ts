/** The busy processes of test:stress end when stopped, when their parent dies, and after their lifetime. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startBusyLoad } from './busy-load.js';

const REPO = resolve(__dirname, '..', '..');
/** Whether the process exists and has not exited (an exited child not yet reaped is a zombie, "Z", or dead, "X"). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc')) return true;
  try {
    return !/^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false; // gone in between
  }
};
/**
 * The processes among `pids` still running once they have all ended, or once `deadlineMs` has
 * passed. A process closes its files before the kernel marks it exited, so a closed pipe says it
 * is ending, not that it has ended: the wait follows the process table, with a generous deadline.
 */
const stillRunningAfter = async (pids: number[], deadlineMs: number): Promise<number[]> => {
  const end = Date.now() + deadlineMs;
  while (pids.some(isRunning) && Date.now() < end) await new Promise((done) => setTimeout(done, 20));
  return pids.filter(isRunning);
};

it('stop() kills every busy process and waits for them', async () => {
  const load = startBusyLoad(2, 600_000);
  expect(load.pids).toHaveLength(2);
  expect(load.pids.every(isRunning)).toBe(true);
  await load.stop();
  expect(load.pids.filter(isRunning)).toEqual([]);
});

it('a busy process ends by itself after its lifetime', async () => {
  const load = startBusyLoad(1, 200);
  await load.exited;
  expect(load.pids.filter(isRunning)).toEqual([]);
});

it('the busy processes end when their parent is killed with SIGKILL', async () => {
  const script = `import { startBusyLoad } from ${JSON.stringify(join(REPO, 'test/stress/busy-load.ts'))};
const load = startBusyLoad(2, 600_000);
process.stdout.write(load.pids.join(' ') + '\\n');
setInterval(() => {}, 60_000);`;
  // The busy processes share the parent's stderr: the pipe closes only once all of them are gone.
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pids = await new Promise<number[]>((done, fail) => {
    parent.stdout.setEncoding('utf8').once('data', (line: string) => done(line.trim().split(' ').map(Number)));
    parent.once('exit', (code) => fail(new Error(`the parent exited (${code}) before starting the load`)));
  });
  expect(pids).toHaveLength(2);
  const stderrClosed = new Promise<void>((done) => parent.stderr.on('data', () => undefined).once('close', done));
  parent.kill('SIGKILL');
  await stderrClosed;
  expect(await stillRunningAfter(pids, 10_000)).toEqual([]);
});

it.each([
  [0, 1000, 'count: got 0; expected a positive integer'],
  [1.5, 1000, 'count: got 1.5; expected a positive integer'],
  [1, 0, 'maxLifetimeMs: got 0; expected a positive number of milliseconds'],
])('refuses count %p with lifetime %p', (count, lifetime, message) => {
  expect(() => startBusyLoad(count, lifetime)).toThrow(message);
});
