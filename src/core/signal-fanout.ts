/**
 * One abort listener per caller signal, however many calls share it: a bulk run or an
 * operator's Ctrl-C signal may be given to 10,000 calls at once. Subscribers are held
 * strongly until they unsubscribe, so an abort can never be lost to garbage collection.
 */
interface Entry {
  subscribers: Set<() => void>;
  onAbort: () => void;
}

export class SignalFanout {
  readonly #entries = new WeakMap<AbortSignal, Entry>();

  /** Calls `onAbort` once when `signal` aborts (at once if it already has); returns the unsubscribe. */
  subscribe(signal: AbortSignal, onAbort: () => void): () => void {
    if (signal.aborted) {
      onAbort();
      return () => undefined;
    }
    let entry = this.#entries.get(signal);
    if (!entry) {
      const subscribers = new Set<() => void>();
      const created: Entry = {
        subscribers,
        onAbort: () => {
          this.#entries.delete(signal);
          for (const subscriber of subscribers) subscriber();
          subscribers.clear();
        },
      };
      signal.addEventListener('abort', created.onAbort, { once: true });
      this.#entries.set(signal, created);
      entry = created;
    }
    const current = entry;
    current.subscribers.add(onAbort);
    return () => {
      current.subscribers.delete(onAbort);
      if (current.subscribers.size === 0 && this.#entries.get(signal) === current) {
        signal.removeEventListener('abort', current.onAbort);
        this.#entries.delete(signal);
      }
    };
  }
}
