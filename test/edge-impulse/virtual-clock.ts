/**
 * A PollClock in virtual time: a wait returns at once and moves the time on by its length, or
 * only up to a deadline that falls inside it, which then fires. Requests take no virtual time, so
 * how many polls fit before a deadline depends on the arithmetic alone, never on the machine.
 */
import type { PollClock } from '../../src/edge-impulse/poll-clock.js';

export class VirtualClock implements PollClock {
  /** Milliseconds since the clock was made. */
  now = 0;
  /** Every wait asked for, in order. */
  readonly waits: number[] = [];
  readonly #deadlines: { at: number; controller: AbortController }[] = [];

  deadline(ms: number): AbortSignal {
    const controller = new AbortController();
    this.#deadlines.push({ at: this.now + ms, controller });
    return controller.signal;
  }

  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason;
    this.waits.push(ms);
    const end = this.now + ms;
    const due = this.#deadlines
      .filter((d) => !d.controller.signal.aborted && d.at <= end)
      .sort((a, b) => a.at - b.at)[0];
    if (due === undefined) {
      this.now = end;
      return;
    }
    this.now = due.at;
    due.controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    throw signal.reason;
  }
}
