/**
 * The requests a backed-up bulk run has at the server at once. Its runner holds more files than
 * `--concurrency` (twice as many): a file whose backup entry waits for the disk (the fsync before
 * its DELETE) holds no request, so another file's read or DELETE may go out meanwhile; the gate
 * keeps the requests themselves at the limit the operator set (and at the adaptive limit below it
 * after the server said it was overloaded). Memory stays O(concurrency).
 */
export class RequestGate {
  #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Requests allowed at once from now on (those under way finish). */
  set limit(value: number) {
    this.#limit = Math.max(1, value);
    this.#next();
  }

  get limit(): number {
    return this.#limit;
  }

  /** Runs `request` once fewer than `limit` are under way; an abort while it waits rejects with the signal's reason. */
  async run<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit || this.#waiting.length > 0) await this.#turn(signal);
    else this.#active++;
    try {
      return await request();
    } finally {
      this.#active--;
      this.#next();
    }
  }

  /** Waits for a place; the place is taken (counted) by #next when it is handed over. */
  #turn(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal.removeEventListener('abort', abandon);
        resolve();
      };
      const abandon = (): void => {
        const at = this.#waiting.indexOf(go);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', abandon, { once: true });
      this.#waiting.push(go);
    });
  }

  #next(): void {
    while (this.#active < this.#limit && this.#waiting.length > 0) {
      this.#active++;
      (this.#waiting.shift() as () => void)();
    }
  }
}
