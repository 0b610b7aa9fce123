/** The sandbox's rate-limit mode and request log, over HTTP, with the limiter's clock in the test's hands. */
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';

const basic = `Basic ${Buffer.from('operator:pw').toString('base64')}`;
let clock = 0;
const logged: string[] = [];
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    rateLimit: { requestsPerSecond: 2, burst: 2, status: 503, now: () => clock },
    log: (line) => logged.push(line),
  });
});
afterAll(() => sandbox?.close());

const remove = (id: string) =>
  fetch(`${sandbox.oracleBaseUrl}/files/${id}/metadata`, {
    method: 'DELETE',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ collection: 'C', fields: 'A' }),
  });

it('refuses requests beyond the burst until the clock refills the bucket, with Retry-After', async () => {
  sandbox.oracle.addFile({ id: 'F1', owner: 'operator', collections: { C: { A: '1' } } });
  expect((await remove('F1')).status).toBe(200);
  expect((await remove('F1')).status).toBe(200);
  const refused = await remove('F1');
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(await refused.json()).toEqual({ error: 'rate limit: at most 2 requests per second' });
  clock += 500; // one token back
  expect((await remove('F1')).status).toBe(200);
  expect((await remove('F1')).status).toBe(503);
  expect(sandbox.requests.map((r) => r.status)).toEqual([200, 200, 503, 200, 503]);
});

it('logs one line per request: method, path, status, time, and the Basic user (never a secret)', () => {
  expect(logged).toHaveLength(5);
  expect(logged[0]).toMatch(/^DELETE \/documents\/api\/1\.1\/files\/F1\/metadata 200 \d+ ms basicAuth:operator$/);
  expect(logged[2]).toMatch(/^DELETE \/documents\/api\/1\.1\/files\/F1\/metadata 503 \d+ ms$/);
  expect(logged.join('\n')).not.toContain(basic.slice(6));
});
