/** The bulk runner's politeness options, with an injected clock: a rate limit, and AIMD concurrency on 429/503. */
import { type ConcurrencyChange, type ManyClock, runMany } from '../../src/oracle-documents/many.js';

/** Virtual time: sleeping moves the clock forward at once, so the run takes no real time. */
function virtualClock(): ManyClock & { time: number } {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
}

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ fileId: `F${i}` }));

class Overloaded extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

describe('maxRatePerSecond', () => {
  it('starts calls evenly spaced, whatever the concurrency', async () => {
    const clock = virtualClock();
    const starts: number[] = [];
    const results = await runMany(
      items(6),
      async () => {
        starts.push(clock.now());
        return 'ok';
      },
      { concurrency: 4, maxRatePerSecond: 5, clock },
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(starts).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('refuses a rate that is not positive', async () => {
    await expect(runMany(items(1), async () => 'ok', { maxRatePerSecond: 0 })).rejects.toThrow(
      /^options\.maxRatePerSecond: got 0; expected a positive number of calls per second$/,
    );
  });
});

describe('adaptive concurrency', () => {
  it('halves the calls in flight on repeated 429/503, and adds one back per round of successes', async () => {
    let inFlight = 0;
    let most = 0;
    const changes: ConcurrencyChange[] = [];
    let overloadedUntil = 24; // the first 24 calls are answered 429 or 503
    let calls = 0;
    const results = await runMany(
      items(120),
      async () => {
        const n = calls++;
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        if (n < overloadedUntil) throw new Overloaded(n % 2 ? 429 : 503);
        return 'ok';
      },
      { concurrency: 8, adaptive: true, onConcurrencyChange: (c) => changes.push(c) },
    );
    overloadedUntil = 0;
    expect(results.filter((r) => !r.ok)).toHaveLength(24);
    expect(most).toBe(8);
    // Multiplicative decrease down to 1, one halving per round of answers.
    const decreases = changes.filter((c) => c.reason === 'overload').map((c) => c.concurrency);
    expect(decreases).toEqual([4, 2, 1]);
    // Additive increase back to the configured concurrency once answers recover.
    const increases = changes.filter((c) => c.reason === 'recovered').map((c) => c.concurrency);
    expect(increases).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(changes.at(-1)?.concurrency).toBe(8);
  });

  it('other failures do not lower it; minConcurrency bounds it', async () => {
    const changes: ConcurrencyChange[] = [];
    await runMany(
      items(40),
      async (item) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (item.fileId < 'F2') throw new Overloaded(404);
        throw new Overloaded(503);
      },
      { concurrency: 8, adaptive: { minConcurrency: 3 }, onConcurrencyChange: (c) => changes.push(c) },
    );
    expect(changes.map((c) => c.concurrency)).toEqual([4, 3]);
  });

  it('reports the current concurrency in the progress', async () => {
    const seen = new Set<number>();
    await runMany(
      items(20),
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        throw new Overloaded(429);
      },
      { concurrency: 4, adaptive: true, onProgress: (p) => seen.add(p.concurrency) },
    );
    // The first failure has already halved it when its progress is reported.
    expect([...seen].sort()).toEqual([1, 2]);
  });
});
