/**
 * How the executable takes SIGINT and SIGTERM: one listener per signal, installed at start-up and
 * kept until the process ends, so that no moment of a run leaves a signal to Node's default
 * effect (death by the signal, which would cut short the record a bulk run writes or the --json
 * document). Commands subscribe their handlers through it (CliDependencies.onSignal); while one
 * is subscribed, it alone gets the signal. With none subscribed:
 * - before any was (arguments, checks; nothing sent yet): the process exits at once, 130 for
 *   SIGINT and 143 for SIGTERM;
 * - after one was (a command between two calls, writing its outcome, or already ending): the
 *   signal is for the run. It goes to the next handler subscribed, if any; else the run ends as
 *   it was ending, with its status, its output written. A second such signal exits at once.
 *
 * The process ends by `finish` (the run's status decided) or `exit` (a second Ctrl-C), each
 * once stdout and stderr are flushed (`exit`, and `finish` after a signal, wait a second at most), not by letting the event
 * loop run dry: Node's own teardown closes its signal handles before the process is gone, and a
 * signal arriving in that moment would kill it.
 */
import type { ProcessSignal } from './context.js';
import { EXIT } from './exit-codes.js';

/** An output stream: `flushed` is called once the chunk (and all before it) is written out. */
interface FlushableStream {
  write(text: string, flushed: (error?: Error | null) => void): unknown;
  /** false once the stream has ended or failed (Node streams). */
  writable?: boolean;
}

/** What of `process` the signal handling uses (a test passes a stand-in). */
export interface SignalProcess {
  on(signal: ProcessSignal, listener: () => void): unknown;
  exit(code: number): void;
  exitCode?: number | string | null | undefined;
  stdout: FlushableStream;
  stderr: FlushableStream;
}

/** Resolves once what was written to `stream` is out (or the stream failed: nothing more can be). */
const flushed = (stream: FlushableStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.writable === false) return resolve();
    try {
      stream.write('', () => resolve());
    } catch {
      resolve();
    }
  });

export interface ProcessSignals {
  /** CliDependencies.onSignal: subscribes a handler; returns the unsubscribe. */
  onSignal(signal: ProcessSignal, handler: () => void): () => void;
  /** CliDependencies.exit: ends the process soon (output flushed, a second at most). */
  exit(code: number): void;
  /** The run is over and its status decided: the process ends with it, once its output is flushed. */
  finish(code: number): void;
}

/** How long `exit` waits for stdout and stderr before ending the process anyway. */
export const EXIT_FLUSH_MS = 1000;

const SIGNALS: readonly ProcessSignal[] = ['SIGINT', 'SIGTERM'];

const statusFor = (signal: ProcessSignal): number => (signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);

export function processSignals(proc: SignalProcess): ProcessSignals {
  const handlers = new Map<ProcessSignal, Set<() => void>>(SIGNALS.map((signal) => [signal, new Set()]));
  let subscribed = false;
  let status: number | undefined;
  /** Signals that came while no handler was subscribed, in order. */
  const waiting: ProcessSignal[] = [];

  const handlersOf = (signal: ProcessSignal): Set<() => void> => handlers.get(signal) as Set<() => void>;

  /** A signal came: the run was stopped, perhaps because stdout's reader no longer reads. */
  let signalled = false;
  const receive = (signal: ProcessSignal): void => {
    signalled = true;
    const current = [...handlersOf(signal)];
    if (current.length > 0) {
      for (const handler of current) handler();
      return;
    }
    if (!subscribed && status === undefined) proc.exit(statusFor(signal));
    else if (waiting.push(signal) >= 2) proc.exit(status ?? statusFor(signal));
  };
  const output = (): Promise<unknown> => Promise.all([flushed(proc.stdout), flushed(proc.stderr)]);
  for (const signal of SIGNALS) proc.on(signal, () => receive(signal));

  return {
    onSignal(signal, handler) {
      subscribed = true;
      handlersOf(signal).add(handler);
      const pending = waiting.indexOf(signal);
      if (pending >= 0) {
        // Delivered once the subscriber has finished setting up (the handler may use what it returns).
        waiting.splice(pending, 1);
        queueMicrotask(() => receive(signal));
      }
      return () => {
        handlersOf(signal).delete(handler);
      };
    },
    exit(code) {
      const late = new Promise((resolve) => setTimeout(resolve, EXIT_FLUSH_MS).unref());
      void Promise.race([output(), late]).then(() => proc.exit(code));
    },
    finish(code) {
      status = code;
      proc.exitCode = code;
      // After a signal, a reader that stopped reading does not keep the process: a second at most.
      const waits = [output()];
      if (signalled) waits.push(new Promise((resolve) => setTimeout(resolve, EXIT_FLUSH_MS).unref()));
      void Promise.race(waits).then(() => proc.exit(code));
    },
  };
}
