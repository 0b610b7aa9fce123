/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: the first aborts the facade's signal, so the call in
 * flight stops and a bulk run reports what it did not finish; a second one ends the process.
 */
import type { CliContext, ProcessSignal } from './context.js';
import { InterruptedError } from './errors.js';
import { EXIT } from './exit-codes.js';

export interface Interruption {
  /** Aborted with an InterruptedError when a signal arrives. */
  signal: AbortSignal;
  /** Stops listening; the signals have their default effect again. */
  dispose(): void;
}

/**
 * `onForce`, if given, runs on the second signal before the process ends: it must be synchronous
 * and must not wait for anything in flight (a stalled server may never answer), so that whatever
 * it writes is written within a second.
 */
export function watchInterrupts(
  ctx: CliContext,
  onInterrupt: (signal: ProcessSignal) => void,
  onForce?: (signal: ProcessSignal) => void,
): Interruption {
  const controller = new AbortController();
  const handler = (signal: ProcessSignal) => (): void => {
    if (controller.signal.aborted) {
      ctx.err.line(`${signal} again: exiting now`);
      try {
        (onForce ?? ctx.onForce)?.(signal);
      } finally {
        ctx.deps.exit?.(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
      }
      return;
    }
    onInterrupt(signal);
    controller.abort(new InterruptedError(signal));
  };
  const off = [ctx.deps.onSignal('SIGINT', handler('SIGINT')), ctx.deps.onSignal('SIGTERM', handler('SIGTERM'))];
  return {
    signal: controller.signal,
    dispose: () => {
      for (const unsubscribe of off) unsubscribe();
    },
  };
}
