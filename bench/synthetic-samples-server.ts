/**
 * A purpose-built Edge Impulse server for the restore's memory bench: a project of `samples`
 * training samples (IDs 1…samples, each with `site` = "site <id % 50>") that exist only as
 * arithmetic, so a project of millions costs the bench nothing. It answers what a restore sends:
 * listSamples (minId, maxId, limit, offset, sortBy id-desc) with totalCount, countSamples, and
 * batchAddMetadata by `ids` (applied at once, no job). The samples whose value a test cleared are the
 * only ones it holds (`cleared`). Not the sandbox: no spec validation, no other filter, any key.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const siteOf = (id: number): string => `site ${id % 50}`;

export interface SyntheticServer {
  baseUrl: string;
  /** Sample IDs whose `site` was cleared, and what was set since (undefined: still cleared). */
  cleared: Map<number, string | undefined>;
  /** listSamples requests answered. */
  lists: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

export async function startSyntheticServer(samples: number): Promise<SyntheticServer> {
  const cleared = new Map<number, string | undefined>();
  const server: SyntheticServer = { baseUrl: '', cleared, lists: 0, close: async () => undefined };
  const metadataOf = (id: number): Record<string, string> => {
    if (!cleared.has(id)) return { site: siteOf(id) };
    const value = cleared.get(id);
    return value === undefined ? {} : { site: value };
  };
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const number = (name: string): number | undefined => (q.has(name) ? Number(q.get(name)) : undefined);
    // The matching IDs are the range [low, high], listed from high down.
    const low = Math.max(1, number('minId') ?? 1);
    const high = Math.min(samples, (number('maxId') ?? samples + 1) - 1);
    const total = Math.max(0, high - low + 1);
    if (req.method === 'GET' && url.pathname.endsWith('/raw-data/count'))
      return send(res, { success: true, count: total });
    if (req.method === 'GET' && url.pathname.endsWith('/raw-data')) {
      server.lists++;
      const offset = number('offset') ?? 0;
      const limit = number('limit') ?? total;
      const page = [];
      for (let id = high - offset; id >= low && page.length < limit; id--) {
        page.push({ id, filename: `s${id}.wav`, label: 'idle', category: 'training', metadata: metadataOf(id) });
      }
      return send(res, { success: true, samples: page, totalCount: total });
    }
    if (req.method === 'POST' && url.pathname.endsWith('/raw-data/batch/add-metadata')) {
      void bodyOf(req).then((text) => {
        const { metadataValue } = JSON.parse(text) as { metadataValue: string };
        for (const id of JSON.parse(q.get('ids') ?? '[]') as number[])
          if (cleared.has(id)) cleared.set(id, metadataValue);
        send(res, { success: true });
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: false, error: `not served here: ${req.method} ${url.pathname}` }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1`;
  server.close = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return server;
}
