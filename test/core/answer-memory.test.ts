/**
 * What refusing an oversized answer costs in memory, measured in a Node process of its own (the
 * server runs here, the client in the child): however large the answer, the client's peak RSS
 * grows by at most 2 × maxAnswerBytes, twice in a row. And what the client keeps of the bytes it
 * reads does not change them: an answer just under the limit arrives byte for byte, plain and
 * compressed. Real servers on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createEdgeImpulseClient } from '../../src/index.js';
import { runChildScript } from '../helpers/child-script.js';

const MiB = 1024 * 1024;

/** Writes `bytes` of JSON-ish filler in 64 KiB writes, with no Content-Length (chunked), honouring backpressure. */
function stream(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < bytes) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => undefined);
  pump();
}

let server: Server;
let url: string;
let exact: Buffer;
beforeAll(async () => {
  // 7 MiB of random bytes: a chunk lost, repeated or shifted shows.
  exact = randomBytes(7 * MiB);
  const gzipped = gzipSync(exact);
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.includes('/exact/')) {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          ...(req.url.includes('gzip') ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(req.url.includes('gzip') ? gzipped : exact);
      } else if (req.url?.includes('/jobs/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"success":true,"job":{"id":1}}');
      } else stream(res, 50 * 1024 * 1024);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('refusing a 50 MB answer twice in a row grows the peak RSS by at most 2 × maxAnswerBytes', async () => {
  const { stdout } = await runChildScript(`
    const rss = () => process.resourceUsage().maxRSS * 1024;
    const client = createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: ${JSON.stringify(`${url}/v1`)}, retry: false });
    // Warm up: the code paths of a call and of an answer, read once.
    for (let i = 0; i < 3; i++) await client.getJobStatus({ projectId: 1, jobId: 1 });
    const before = rss();
    const messages = [];
    for (let i = 0; i < 2; i++) {
      const error = await client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' }).catch((e) => e);
      messages.push(error.message);
    }
    out({ growth: rss() - before, messages });
  `);
  const { growth, messages } = JSON.parse(stdout) as { growth: number; messages: string[] };
  expect(messages).toEqual(
    Array(2).fill(
      'batchClearMetadataByKey: the answer is larger than 8388608 bytes (maxAnswerBytes); not read further (HTTP 200)',
    ),
  );
  expect(growth).toBeLessThanOrEqual(2 * 8 * MiB);
}, 120_000);

it.each(['plain', 'gzip'])('an answer just under the limit arrives byte for byte (%s)', async (kind) => {
  const client = createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: `${url}/v1/exact/${kind}`, retry: false });
  const { data, response } = await client.raw.GET('/api/{projectId}/jobs/{jobId}/status', {
    params: { path: { projectId: 1, jobId: 1 } },
    parseAs: 'arrayBuffer',
  });
  expect(response.status).toBe(200);
  expect(Buffer.from(data as ArrayBuffer).equals(exact)).toBe(true);
});
