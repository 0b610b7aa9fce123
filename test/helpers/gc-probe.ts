/**
 * Run as `node --expose-gc --import tsx test/helpers/gc-probe.ts <timeout|abort>`: one call to
 * a local server that accepts the request and never answers; as soon as the server has the
 * request, garbage is collected, and (abort) the caller's signal is aborted. Prints the
 * outcome as one JSON line. A transport whose timeout or abort hangs on a collected object
 * never prints, and the test that runs this kills it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEdgeImpulseClient } from '../../src/index.js';

const mode = process.argv[2];
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect || (mode !== 'timeout' && mode !== 'abort')) {
  process.stderr.write('usage: node --expose-gc --import tsx gc-probe.ts timeout|abort\n');
  process.exit(2);
}

const controller = new AbortController();
const server = createServer(() => {
  // Never answers. Collect garbage while the attempt is in flight, then (abort) cancel.
  setImmediate(() => {
    collect();
    collect();
    if (mode === 'abort') controller.abort(new Error('stopped by the caller'));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address() as AddressInfo;
  const client = createEdgeImpulseClient({
    auth: { apiKey: 'k' },
    baseUrl: `http://127.0.0.1:${port}/v1`,
    retry: false,
    timeoutMs: mode === 'timeout' ? 1500 : 600_000,
  });
  const outcome = await client
    .clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k', signal: controller.signal })
    .then(
      () => ({ outcome: 'resolved' }),
      (error: Error) => ({ outcome: 'rejected', name: error.name, message: error.message }),
    );
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  process.exit(0);
});
