/**
 * The streaming bulk runner (streamMany, deleteFileMetadataValuesStream) and runMany built on it,
 * over real HTTP to a scripted server on 127.0.0.1: results in completion order with their input
 * index, memory bounded by the concurrency (counted, and checked with the garbage collector), an
 * abort that stops reading the input at once, a consumer leaving the loop, an input that throws,
 * and a hook that throws. Every outcome waits on events (a request received, a result yielded),
 * never on a delay.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CancelledError,
  createOracleDocumentsClient,
  type DeleteManyItem,
  type IndexedResult,
  runMany,
  streamMany,
} from '../../src/index.js';
import { neverAnswer, type ScriptedServer, type SeenRequest, startScriptedServer } from '../helpers/scripted-server.js';

const OK = { status: 200, body: { errorCode: '0', type: 'file' } };

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(OK);
});
beforeEach(() => server.reply(OK));
afterEach(() => server.settle());
afterAll(() => server.close());

const client = () =>
  createOracleDocumentsClient({
    baseUrl: `${server.url}/documents/api/1.1`,
    auth: { username: 'operator', password: 'pw' },
    retry: false,
  });

const item = (i: number): DeleteManyItem => ({ fileId: `F${i}`, collection: 'C', fields: ['A'] });
const fileOf = (request: SeenRequest): string => /\/files\/([^/]+)\//.exec(request.url)?.[1] ?? request.url;

/** An input of `total` items (endless when undefined) that counts what was read and whether it was closed. */
function countingInput(total?: number) {
  const input = {
    pulled: 0,
    closed: false,
    *items(): Generator<DeleteManyItem> {
      try {
        for (let i = 0; total === undefined || i < total; i++) {
          input.pulled++;
          yield item(i);
        }
      } finally {
        input.closed = true;
      }
    },
  };
  return input;
}

/** Answers held until the test releases them, by file ID. */
function heldAnswers() {
  const held = new Map<string, () => void>();
  const reply = (request: SeenRequest, res: import('node:http').ServerResponse) => {
    held.set(fileOf(request), () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorCode: '0', idList: fileOf(request) }));
    });
  };
  const release = (fileId: string) => {
    const answer = held.get(fileId);
    if (!answer) throw new Error(`no request held for ${fileId}`);
    held.delete(fileId);
    answer();
  };
  return { reply, release };
}

describe('streamMany: results', () => {
  it('yields each item once, in the order the answers arrive, with its input index', async () => {
    const answers = heldAnswers();
    server.reply(answers.reply);
    const stream = client().deleteFileMetadataValuesStream([0, 1, 2, 3].map(item), { concurrency: 4 });
    const order = ['F2', 'F0', 'F3', 'F1'];
    const seen: IndexedResult<unknown>[] = [];
    const iterator = stream[Symbol.asyncIterator]();
    let next = iterator.next(); // the first next() starts the run
    await server.received(4);
    for (const fileId of order) {
      answers.release(fileId);
      const step = await next;
      if (step.done) throw new Error('ended early');
      seen.push(step.value);
      next = iterator.next();
    }
    expect(await next).toEqual({ done: true, value: undefined });
    expect(seen.map((r) => [r.fileId, r.index, r.ok])).toEqual([
      ['F2', 2, true],
      ['F0', 0, true],
      ['F3', 3, true],
      ['F1', 1, true],
    ]);
    expect(seen[0]).toMatchObject({ ok: true, response: { errorCode: '0', idList: 'F2' } });
    expect(stream.taken).toBe(4);
  });

  it('reads nothing and sends nothing before the first next(), and refuses bad options at once', async () => {
    const input = countingInput(5);
    const stream = client().deleteFileMetadataValuesStream(input.items(), { concurrency: 2 });
    expect(input.pulled).toBe(0);
    expect(() => client().deleteFileMetadataValuesStream([item(0)], { concurrency: 0 })).toThrow(
      /^options\.concurrency: got 0; expected a positive integer$/,
    );
    const results = [];
    for await (const r of stream) results.push(r);
    expect(results.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(server.requests.map(fileOf).sort()).toEqual(['F0', 'F1', 'F2', 'F3', 'F4']);
  });

  it("fails one item without ending the stream: a refused input and the server's 404 are results", async () => {
    server.reply((request, res) => {
      const missing = fileOf(request) === 'F1';
      res.writeHead(missing ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(missing ? { errorCode: '-16', errorMessage: 'no such file' } : { errorCode: '0' }));
    });
    const items = [item(0), item(1), { ...item(2), fileId: '' }];
    const results = [];
    for await (const r of client().deleteFileMetadataValuesStream(items, { concurrency: 1 })) results.push(r);
    const byIndex = results.sort((a, b) => a.index - b.index);
    expect(byIndex.map((r) => [r.index, r.ok, r.ok ? undefined : r.error.name])).toEqual([
      [0, true, undefined],
      [1, false, 'ApiError'],
      [2, false, 'ValidationError'],
    ]);
    expect(server.requests).toHaveLength(2);
  });
});

describe('streamMany: memory is O(concurrency), not O(items)', () => {
  it('reads an item only when fewer than `concurrency` are in flight or waiting for a slow consumer', async () => {
    const total = 120;
    const concurrency = 4;
    const input = countingInput(total);
    let delivered = 0;
    let mostAhead = 0;
    const stream = client().deleteFileMetadataValuesStream(input.items(), {
      concurrency,
      onResult: () => {
        delivered++;
      },
      onStart: () => {
        mostAhead = Math.max(mostAhead, input.pulled - delivered);
      },
    });
    for await (const _ of stream) {
      // A consumer slower than the server: before reading on, it lets the run fill every slot it may
      // (the `concurrency` items after those it has read were sent), so the answers wait for it.
      await server.received(Math.min(total, delivered + concurrency));
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(delivered).toBe(total);
    expect(input.pulled).toBe(total);
    expect(server.requests).toHaveLength(total);
    // Items held at once (in flight + finished and not yet read) never exceeded the concurrency, and reached it.
    expect(mostAhead).toBe(concurrency);
  });

  it('keeps no result once it is yielded (checked with the garbage collector)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const big = 'x'.repeat(64 * 1024);
    server.reply({ status: 200, body: { errorCode: '0', padding: big } });
    const refs: WeakRef<object>[] = [];
    let aliveBefore = -1;
    for await (const result of client().deleteFileMetadataValuesStream(countingInput(200).items(), {
      concurrency: 8,
    })) {
      refs.push(new WeakRef(result));
      if (refs.length === 150) {
        // In a later task than the WeakRefs were made (they hold their target until the task ends).
        await new Promise((resolve) => setImmediate(resolve));
        gc();
        aliveBefore = refs.slice(0, 149).filter((ref) => ref.deref() !== undefined).length;
      }
    }
    // The 149 results yielded before the current one, 64 KB answers each, were all collected mid-run.
    expect(aliveBefore).toBe(0);
    expect(refs).toHaveLength(200);
  });
});

describe('streamMany: abort', () => {
  it('aborts the calls in flight, yields each once as cancelled, and reads no further item', async () => {
    server.reply(neverAnswer);
    const controller = new AbortController();
    const input = countingInput(); // never ends
    const stream = client().deleteFileMetadataValuesStream(input.items(), {
      concurrency: 3,
      signal: controller.signal,
    });
    const results: IndexedResult<unknown>[] = [];
    const done = (async () => {
      for await (const r of stream) results.push(r);
    })();
    await server.received(3);
    controller.abort(new Error('operator pressed Ctrl-C'));
    await done;
    expect(results.map((r) => r.index).sort()).toEqual([0, 1, 2]);
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toBeInstanceOf(CancelledError);
        expect(r.error.message).toMatch(/operator pressed Ctrl-C/);
      }
    }
    // Resume from item 3: it was never read.
    expect(stream.taken).toBe(3);
    expect(input.pulled).toBe(3);
    expect(input.closed).toBe(true);
  });

  it('ends an endless input that answers fast: exactly the items taken are yielded', async () => {
    const controller = new AbortController();
    const input = countingInput();
    const stream = client().deleteFileMetadataValuesStream(input.items(), {
      concurrency: 4,
      signal: controller.signal,
    });
    const indexes: number[] = [];
    for await (const r of stream) {
      indexes.push(r.index);
      if (indexes.length === 50) controller.abort(new Error('stop'));
    }
    expect(stream.taken).toBeGreaterThanOrEqual(50);
    expect(stream.taken).toBeLessThanOrEqual(54);
    expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({ length: stream.taken }, (_, i) => i));
    expect(input.pulled).toBe(stream.taken);
  });

  it('ends promptly while the input is waiting for its next item, which is then not taken', async () => {
    server.reply(neverAnswer);
    const controller = new AbortController();
    let asked = 0;
    let giveThird: ((step: IteratorResult<DeleteManyItem>) => void) | undefined;
    const input: AsyncIterable<DeleteManyItem> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          asked++;
          if (asked <= 2) return Promise.resolve({ done: false, value: item(asked - 1) });
          return new Promise((resolve) => {
            giveThird = resolve;
          });
        },
      }),
    };
    const stream = client().deleteFileMetadataValuesStream(input, { concurrency: 4, signal: controller.signal });
    const results: IndexedResult<unknown>[] = [];
    const done = (async () => {
      for await (const r of stream) results.push(r);
    })();
    await server.received(2);
    controller.abort(new Error('stop'));
    await done;
    expect(results.map((r) => [r.index, !r.ok && r.error instanceof CancelledError]).sort()).toEqual([
      [0, true],
      [1, true],
    ]);
    expect(stream.taken).toBe(2);
    // The item the input hands over after the abort is not run, not yielded, not counted.
    giveThird?.({ done: false, value: item(2) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.taken).toBe(2);
    expect(server.requests.map(fileOf).sort()).toEqual(['F0', 'F1']);
  });

  it('an already aborted signal reads nothing', async () => {
    const input = countingInput(10);
    const stream = client().deleteFileMetadataValuesStream(input.items(), { signal: AbortSignal.abort() });
    const results = [];
    for await (const r of stream) results.push(r);
    expect(results).toEqual([]);
    expect(input.pulled).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe('streamMany: the consumer leaves the loop', () => {
  it('aborts the calls in flight, reads no more, and return() resolves once they have settled', async () => {
    server.reply(OK, neverAnswer);
    const oc = client();
    const input = countingInput(100);
    let started = 0;
    let settled = 0;
    let releaseLast: (() => void) | undefined;
    const stream = streamMany(
      input.items(),
      async (one: DeleteManyItem, signal) => {
        started++;
        try {
          return await oc.deleteFileMetadataValues({ ...one, signal });
        } finally {
          // The last call to settle waits for the test, so that return() is seen waiting for it.
          if (started - settled === 1 && started > 1) await new Promise<void>((r) => (releaseLast = r));
          settled++;
        }
      },
      { concurrency: 3 },
    );
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first).toMatchObject({ done: false, value: { ok: true } });
    await server.received(3);
    const pulledAtBreak = input.pulled;
    let returned = false;
    const returning = iterator.return?.().then((step) => {
      returned = true;
      return step;
    });
    await new Promise<void>((resolve) => {
      const wait = () => (releaseLast ? resolve() : setImmediate(wait));
      wait();
    });
    expect(returned).toBe(false);
    releaseLast?.();
    expect(await returning).toEqual({ done: true, value: undefined });
    expect(settled).toBe(started);
    expect(input.pulled).toBe(pulledAtBreak);
    expect(input.closed).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('break in for await leaves no call running', async () => {
    server.reply(OK, neverAnswer);
    const oc = client();
    let started = 0;
    let settled = 0;
    const stream = streamMany(
      countingInput().items(),
      async (one: DeleteManyItem, signal) => {
        started++;
        try {
          return await oc.deleteFileMetadataValues({ ...one, signal });
        } finally {
          settled++;
        }
      },
      { concurrency: 4 },
    );
    for await (const r of stream) {
      expect(r.ok).toBe(true);
      await server.received(4);
      break;
    }
    expect(started).toBe(stream.taken);
    expect(started).toBeGreaterThanOrEqual(4);
    expect(settled).toBe(started);
  });
});

describe('streamMany: an input that throws', () => {
  it('yields the calls in flight, then throws the error', async () => {
    const answers = heldAnswers();
    server.reply(answers.reply);
    const broken = new Error('line 4: not a file ID');
    function* input(): Generator<DeleteManyItem> {
      yield item(0);
      yield item(1);
      yield item(2);
      throw broken;
    }
    const stream = client().deleteFileMetadataValuesStream(input(), { concurrency: 8 });
    const seen: number[] = [];
    const run = (async () => {
      for await (const r of stream) seen.push(r.index);
    })();
    await server.received(3);
    for (const id of ['F1', 'F0', 'F2']) answers.release(id);
    await expect(run).rejects.toBe(broken);
    expect(seen).toEqual([1, 0, 2]);
    expect(stream.taken).toBe(3);
  });
});

describe('streamMany: adaptive concurrency over HTTP', () => {
  it('halves the calls in flight on 503 answers and climbs back to the configured concurrency', async () => {
    let answered = 0;
    server.reply((_request, res) => {
      const overloaded = answered++ < 8; // the first 8 requests to arrive
      res.writeHead(overloaded ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(overloaded ? { errorCode: '-1', errorMessage: 'busy' } : { errorCode: '0' }));
    });
    const changes: { previous: number; concurrency: number; reason: string }[] = [];
    const stream = client().deleteFileMetadataValuesStream(countingInput(40).items(), {
      concurrency: 8,
      adaptive: true,
      onConcurrencyChange: (change) => changes.push(change),
    });
    const results: IndexedResult<unknown>[] = [];
    for await (const r of stream) results.push(r);
    expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const failed = results.filter((r) => !r.ok);
    expect(failed).toHaveLength(8);
    expect(failed.map((r) => (r.ok ? undefined : (r.error as { status?: number }).status))).toEqual(Array(8).fill(503));
    expect(changes[0]).toEqual({ previous: 8, concurrency: 4, reason: 'overload' });
    // 32 successes are enough to climb back from any low it reached (1 + 2 + … + 7 = 28).
    expect(changes.at(-1)).toMatchObject({ concurrency: 8, reason: 'recovered' });
    expect(stream.concurrency).toBe(8);
  });
});

describe('runMany on the stream', () => {
  it('a throwing onResult records no item twice, stops the run, and rejects once every call has settled', async () => {
    server.reply(OK, OK, neverAnswer);
    const oc = client();
    const input = countingInput(50);
    let started = 0;
    let settled = 0;
    const recorded: number[] = [];
    const broken = new Error('disk full');
    const run = runMany(
      input.items(),
      async (one: DeleteManyItem, signal) => {
        started++;
        try {
          return await oc.deleteFileMetadataValues({ ...one, signal });
        } finally {
          settled++;
        }
      },
      {
        concurrency: 4,
        onResult: (_result, index) => {
          recorded.push(index);
          if (recorded.length === 2) throw broken;
        },
      },
    );
    await expect(run).rejects.toBe(broken);
    expect(recorded).toHaveLength(2);
    expect(new Set(recorded).size).toBe(2);
    expect(settled).toBe(started);
    expect(input.pulled).toBe(started);
    expect(input.closed).toBe(true);
    // No call starts after the rejection.
    const startedAtRejection = started;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(startedAtRejection);
  });

  it('after an abort, an input that is not an array is not read further: the array ends with the items taken', async () => {
    server.reply(neverAnswer);
    const controller = new AbortController();
    const input = countingInput();
    const run = client().deleteFileMetadataValuesMany(input.items(), { concurrency: 2, signal: controller.signal });
    await server.received(2);
    controller.abort(new Error('stop'));
    const results = await run;
    expect(results.map((r) => [r.fileId, !r.ok && r.error instanceof CancelledError])).toEqual([
      ['F0', true],
      ['F1', true],
    ]);
    expect(input.pulled).toBe(2);
  });
});
