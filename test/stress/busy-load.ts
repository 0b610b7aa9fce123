/**
 * Busy processes that keep the CPU cores occupied while the suite runs, so that a test whose
 * outcome depends on the machine's speed shows itself. Each one is bounded three ways: `stop()`
 * kills it, it exits on its own when its parent goes away (the IPC channel closes, even on
 * SIGKILL of the parent), and it exits after `maxLifetimeMs` whatever happens.
 */
import { type ChildProcess, fork } from 'node:child_process';

/** Spins in 20 ms slices, so that the event loop still sees the parent disconnect. */
const SPINNER = `
const end = Date.now() + Number(process.argv[1]);
process.on('disconnect', () => process.exit(0));
function spin() {
  const slice = Date.now() + 20;
  while (Date.now() < slice) {}
  if (Date.now() >= end) process.exit(0);
  setImmediate(spin);
}
spin();
`;

export interface BusyLoad {
  readonly pids: readonly number[];
  /** Settles once every busy process has exited (for whatever reason). */
  readonly exited: Promise<void>;
  /** Kills every busy process and waits until each has exited. */
  stop(): Promise<void>;
  /** Kills every busy process without waiting (for process 'exit' handlers, which cannot wait). */
  kill(): void;
}

export function startBusyLoad(count: number, maxLifetimeMs: number): BusyLoad {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count: got ${count}; expected a positive integer`);
  if (!Number.isFinite(maxLifetimeMs) || maxLifetimeMs <= 0) {
    throw new RangeError(`maxLifetimeMs: got ${maxLifetimeMs}; expected a positive number of milliseconds`);
  }
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    // fork() opens the IPC channel whose closing tells the child that this process is gone.
    const child = fork('-e', [SPINNER, String(Math.round(maxLifetimeMs))], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // The load must never keep this process alive, nor hold its event loop.
    child.unref();
    child.channel?.unref();
    children.push(child);
  }
  const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
  const exits = children.map((child) => new Promise<void>((done) => child.once('exit', () => done())));
  return {
    pids: children.map((child) => child.pid as number),
    exited: Promise.all(exits).then(() => undefined),
    kill() {
      for (const child of children) if (alive(child)) child.kill('SIGKILL');
    },
    async stop() {
      // Held again while waiting, or this process could end before the exits are seen.
      for (const child of children) if (alive(child)) child.ref();
      this.kill();
      await this.exited;
    },
  };
}
