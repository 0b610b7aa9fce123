/**
 * How the executable takes SIGINT and SIGTERM (src/cli/process-signals.ts, wired in main.ts): at
 * no moment of a run may a signal fall through to Node's default effect (death by the signal,
 * the run's record or --json document cut short). A stand-in for `process` behaves as Node does:
 * a signal with no listener kills the process. The CLI runs in-process against a real server.
 */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { ProcessSignal } from '../../src/cli/context.js';
import { EXIT_FLUSH_MS, processSignals } from '../../src/cli/process-signals.js';
import { runCli } from '../../src/cli/program.js';
import { neverAnswer, type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

/** A stdout/stderr whose writes are flushed when the test says so. */
class SlowStream {
  readonly waiting: (() => void)[] = [];
  write(_text: string, flushed: () => void): boolean {
    this.waiting.push(flushed);
    return false;
  }
  flush(): void {
    for (const done of this.waiting.splice(0)) done();
  }
}

class FakeProcess extends EventEmitter {
  exitCode: number | string | null | undefined;
  readonly stdout = new SlowStream();
  readonly stderr = new SlowStream();
  /** What ended the process: an exit status, or the signal that killed it (Node's default). */
  ended: { exit: number } | { killedBy: ProcessSignal } | undefined;

  exit(code: number): void {
    this.ended ??= { exit: code };
  }

  /** The signal arrives: its listeners run, or, with none, it kills the process. */
  signal(signal: ProcessSignal): void {
    if (this.ended) return;
    if (this.listenerCount(signal) === 0) this.ended = { killedBy: signal };
    else this.emit(signal);
  }
}

function setUp() {
  const proc = new FakeProcess();
  const signals = processSignals(proc);
  return { proc, signals };
}

describe('before, between and after the run’s own handlers', () => {
  it('a signal before any handler: the process exits at once with 130 (SIGINT) or 143 (SIGTERM)', () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const { proc } = setUp();
      proc.signal(signal);
      expect(proc.ended).toEqual({ exit: code });
    }
  });

  it('while a handler is subscribed, it alone gets the signal', () => {
    const { proc, signals } = setUp();
    const got: string[] = [];
    const off = signals.onSignal('SIGINT', () => got.push('SIGINT'));
    proc.signal('SIGINT');
    proc.signal('SIGINT');
    expect(got).toEqual(['SIGINT', 'SIGINT']);
    expect(proc.ended).toBeUndefined();
    off();
  });

  it('after the handlers are gone but before the status is decided, one signal waits for the status', () => {
    const { proc, signals } = setUp();
    signals.onSignal('SIGINT', () => undefined)();
    proc.signal('SIGINT');
    expect(proc.ended).toBeUndefined();
    signals.finish(1);
    expect(proc.exitCode).toBe(1);
    expect(proc.ended).toBeUndefined(); // it ends with status 1 once its output is flushed (below)
  });

  it('a second such signal exits at once (Ctrl-C twice always ends the process)', () => {
    const { proc, signals } = setUp();
    signals.onSignal('SIGTERM', () => undefined)();
    proc.signal('SIGINT');
    proc.signal('SIGTERM');
    expect(proc.ended).toEqual({ exit: 143 });
  });

  it('a signal between two handlers reaches the next one (it is not lost)', async () => {
    const { proc, signals } = setUp();
    signals.onSignal('SIGINT', () => undefined)();
    proc.signal('SIGINT');
    const got: string[] = [];
    signals.onSignal('SIGINT', () => got.push('delivered'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual(['delivered']);
    expect(proc.ended).toBeUndefined();
  });

  it('once the status is decided, a signal lets the output be written; a second ends the process with the status', () => {
    const { proc, signals } = setUp();
    signals.finish(0);
    proc.signal('SIGINT');
    expect(proc.ended).toBeUndefined();
    proc.signal('SIGINT');
    expect(proc.ended).toEqual({ exit: 0 });
  });

  // Left to run dry, Node's event loop ends in a teardown that first closes its signal handles:
  // a signal arriving then would kill the process. So the process is ended explicitly.
  it('once the status is decided, the process exits with it as soon as stdout and stderr are flushed', async () => {
    const { proc, signals } = setUp();
    signals.finish(1);
    expect(proc.exitCode).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(proc.ended).toBeUndefined(); // output still being written
    proc.stdout.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(proc.ended).toBeUndefined();
    proc.stderr.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(proc.ended).toEqual({ exit: 1 });
  });
});

describe('exit (a second Ctrl-C): the process ends soon, its output written if it can be', () => {
  afterEach(() => jest.useRealTimers());

  it('as soon as stdout and stderr are flushed', async () => {
    jest.useFakeTimers();
    const { proc, signals } = setUp();
    signals.exit(130);
    await jest.advanceTimersByTimeAsync(EXIT_FLUSH_MS - 1);
    expect(proc.ended).toBeUndefined();
    proc.stdout.flush();
    proc.stderr.flush();
    await jest.advanceTimersByTimeAsync(0);
    expect(proc.ended).toEqual({ exit: 130 });
  });

  it('or after a second at most, when a reader does not read', async () => {
    jest.useFakeTimers();
    const { proc, signals } = setUp();
    signals.exit(130);
    proc.stderr.flush();
    await jest.advanceTimersByTimeAsync(EXIT_FLUSH_MS - 1);
    expect(proc.ended).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(proc.ended).toEqual({ exit: 130 });
  });
});

describe('a second Ctrl-C just as the interrupted command finishes', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer(neverAnswer);
  });
  afterEach(() => server.close());

  it('is not fatal: the command ends with 130 and its --json document', async () => {
    const { proc, signals } = setUp();
    let stdout = '';
    let late = false;
    const run = runCli({
      argv: ['oracle', 'delete-metadata', '--file', 'F1', '--collection', 'C', '--field', 'A', '--json'],
      env: { OCM_BASE_URL: `${server.url}/documents/api/1.1`, OCM_BEARER_TOKEN: 'signals-test-token' },
      stdin: Readable.from([]),
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      isTTY: false,
      cwd: process.cwd(),
      // The second Ctrl-C arrives at the worst moment: just after the command stopped listening.
      onSignal: (signal, handler) => {
        const off = signals.onSignal(signal, handler);
        return () => {
          off();
          if (signal === 'SIGINT' && !late) {
            late = true;
            proc.signal('SIGINT');
          }
        };
      },
      exit: (code) => proc.exit(code),
    });
    await server.received(1);
    proc.signal('SIGINT');
    const code = await run;
    signals.finish(code);

    expect(late).toBe(true);
    expect(proc.ended).toBeUndefined();
    expect(code).toBe(130);
    expect(proc.exitCode).toBe(130);
    proc.stdout.flush();
    proc.stderr.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(proc.ended).toEqual({ exit: 130 });
    expect(JSON.parse(stdout)).toMatchObject({
      command: 'oracle delete-metadata',
      ok: false,
      exitCode: 130,
      error: { name: 'InterruptedError' },
    });
  });
});
