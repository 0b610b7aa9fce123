/**
 * deleteFileMetadataValuesMany over 10,000 files against the sandbox, through a proxy that
 * fails 1% of the files for good (half with HTTP 500, half by breaking the connection) and
 * slows some answers down: every item is reported exactly once, in input order, the failures
 * with their cause, and the server never sees more requests at once than the concurrency.
 */
import { ApiError, createOracleDocumentsClient, type DeleteManyItem, NetworkError } from '../../src/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';

const TOTAL = 10_000;
const CONCURRENCY = 16;
const fileId = (i: number) => `FILE-${String(i).padStart(5, '0')}`;
/** Files that always fail: every 100th, alternating between the two causes. */
const failing = (i: number) => i % 100 === 37;
const cause = (i: number) => (Math.floor(i / 100) % 2 === 0 ? 'status' : 'reset');

let sandbox: Sandbox;
let proxy: FaultProxy;
beforeAll(async () => {
  sandbox = await startSandbox();
  for (let i = 0; i < TOTAL; i++)
    sandbox.oracle.addFile({ id: fileId(i), owner: 'operator', collections: { C: { A: '1', B: '2' } } });
  proxy = await startFaultProxy(sandbox.url, (req) => {
    const i = Number(/FILE-(\d+)/.exec(req.url ?? '')?.[1]);
    if (failing(i)) return cause(i) === 'status' ? { kind: 'status', status: 500 } : { kind: 'reset' };
    if (i % 50 === 3) return { kind: 'delay', ms: 40 };
    return undefined;
  });
});
afterAll(async () => {
  await proxy.close();
  await sandbox.close();
});

it('reports 10,000 files exactly once, in order, failures with their cause, within the concurrency', async () => {
  const client = createOracleDocumentsClient({
    baseUrl: `${proxy.url}/documents/api/1.1`,
    auth: { username: 'operator', password: 'pw' },
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
  });
  let pulled = 0;
  let finished = 0;
  let maxAhead = 0;
  function* items(): Generator<DeleteManyItem> {
    for (let i = 0; i < TOTAL; i++) {
      pulled++;
      maxAhead = Math.max(maxAhead, pulled - finished);
      yield { fileId: fileId(i), collection: 'C', fields: ['A'] };
    }
  }
  const results = await client.deleteFileMetadataValuesMany(items(), {
    concurrency: CONCURRENCY,
    onProgress: (p) => {
      finished = p.done;
    },
  });

  expect(results).toHaveLength(TOTAL);
  expect(results.map((r) => r.fileId)).toEqual(Array.from({ length: TOTAL }, (_, i) => fileId(i)));
  const failed = results.flatMap((r, i) => (r.ok ? [] : [{ i, error: r.error }]));
  expect(failed.map((f) => f.i)).toEqual(Array.from({ length: TOTAL / 100 }, (_, k) => k * 100 + 37));
  for (const { i, error } of failed) {
    if (cause(i) === 'status') {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(500);
    } else {
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.message).toMatch(/after 2 attempts/);
    }
  }
  // The server side: each failing file was tried twice (one retry), every other file once.
  expect(proxy.seen).toBe(TOTAL + TOTAL / 100);
  expect(proxy.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
  expect(proxy.maxInFlight).toBeGreaterThan(1);
  // Memory stays bounded: the input is read only as fast as calls finish.
  expect(maxAhead).toBeLessThanOrEqual(CONCURRENCY);
  // And the sandbox's state agrees with the report.
  const cleared = sandbox.oracle.files().filter((f) => !('A' in (f.collections.C ?? {}))).length;
  expect(cleared).toBe(TOTAL - TOTAL / 100);
  // The time limit below only ends a hang: 10,000 calls take seconds on a quiet machine and
  // may take minutes on a busy one; nothing asserted depends on how long they take.
}, 600_000);
