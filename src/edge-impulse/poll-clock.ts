/** Time as the job poller sees it: its waits between polls and its deadline. Tests give it a virtual one. */
import { sleep } from '../core/sleep.js';

export interface PollClock {
  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A signal that aborts with a TimeoutError once `ms` have passed. */
  deadline(ms: number): AbortSignal;
}

/** Real time: timers of the event loop. */
export const SYSTEM_CLOCK: PollClock = { sleep, deadline: (ms) => AbortSignal.timeout(ms) };
