/**
 * A backed-up bulk run holds more files than --concurrency (those whose backup entry waits for the
 * disk hold no request), yet the server never sees more than --concurrency requests at once: the
 * request gate, on its own and in the built CLI against the sandbox behind a proxy that counts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestGate } from '../../../src/cli/bulk/request-gate.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runCli } from '../../helpers/cli.js';
import { startFaultProxy } from '../../helpers/fault-proxy.js';

describe('RequestGate', () => {
  /** A request that ends when the test says so. */
  function held() {
    let end: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      end = resolve;
    });
    return { done, end };
  }

  it('lets at most `limit` requests run at once, the others in the order they came', async () => {
    const gate = new RequestGate(2);
    const signal = new AbortController().signal;
    const started: number[] = [];
    const requests = [0, 1, 2, 3].map(() => held());
    const runs = requests.map((r, i) =>
      gate.run(signal, async () => {
        started.push(i);
        await r.done;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    requests[1]?.end();
    await runs[1];
    expect(started).toEqual([0, 1, 2]);
    requests[0]?.end();
    await runs[0];
    expect(started).toEqual([0, 1, 2, 3]);
    for (const r of requests) r.end();
    await Promise.all(runs);
  });

  it('a lowered limit holds the next requests until those under way are fewer', async () => {
    const gate = new RequestGate(2);
    const signal = new AbortController().signal;
    const started: number[] = [];
    const requests = [0, 1, 2].map(() => held());
    const runs = requests.map((r, i) =>
      gate.run(signal, async () => {
        started.push(i);
        await r.done;
      }),
    );
    await Promise.resolve();
    gate.limit = 1;
    requests[0]?.end();
    await runs[0];
    expect(started).toEqual([0, 1]);
    requests[1]?.end();
    await runs[1];
    expect(started).toEqual([0, 1, 2]);
    requests[2]?.end();
    await runs[2];
  });

  it('an abort while waiting rejects with its reason, and the place goes to the next', async () => {
    const gate = new RequestGate(1);
    const first = held();
    const running = gate.run(new AbortController().signal, () => first.done);
    const cancel = new AbortController();
    const waiting = gate.run(cancel.signal, async () => 'never');
    const reason = new Error('stopped');
    cancel.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    let third = false;
    const next = gate.run(new AbortController().signal, async () => {
      third = true;
    });
    first.end();
    await Promise.all([running, next]);
    expect(third).toBe(true);
  });
});

describe('a backed-up bulk clear', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    builtCli();
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());
  beforeEach(() => {
    sandbox.reset();
    dir = mkdtempSync(join(tmpdir(), 'metaclear-request-gate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has at most --concurrency requests at the server (its runner holds up to twice as many files)', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `G${i + 1}`);
    for (const id of ids) sandbox.oracle.addFile({ id, owner: 'operator', collections: { C: { A: `a of ${id}` } } });
    writeFileSync(join(dir, 'ids.txt'), `${ids.join('\n')}\n`);
    // Every request held 30 ms at the proxy: files pile up behind the limit, whatever the machine's speed.
    const proxy = await startFaultProxy(new URL(sandbox.oracleBaseUrl).origin, () => ({ kind: 'delay', ms: 30 }));
    try {
      const run = await runCli(
        [
          'oracle',
          'delete-metadata',
          '--collection',
          'C',
          '--field',
          'A',
          '--files-from',
          'ids.txt',
          '--backup',
          'b.jsonl',
          '--concurrency',
          '3',
          '--json',
        ],
        {
          env: { OCM_BASE_URL: `${proxy.url}/documents/api/1.1`, OCM_USERNAME: 'operator', OCM_PASSWORD: 'pw' },
          cwd: dir,
        },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(proxy.seen).toBe(60);
      expect(proxy.maxInFlight).toBeLessThanOrEqual(3);
      const summary = JSON.parse(run.stdout.trimEnd().split('\n').at(-1) as string);
      expect(summary).toMatchObject({
        summary: { exitCode: 0, succeeded: 30, cleared: 30, concurrency: { max: 3, lowest: 3, final: 3 } },
      });
      for (const id of ids) expect(sandbox.oracle.file(id)?.collections.C).toEqual({});
      const entries = readFileSync(join(dir, 'b.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{"fileId"'));
      expect(entries).toHaveLength(30);
    } finally {
      await proxy.close();
    }
  });
});
