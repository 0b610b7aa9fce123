/**
 * A small Oracle stand-in on 127.0.0.1 for runs of thousands of files: every file holds a value
 * of its own in CollectionA's fields A1 and A2 (`own value of <id>`) until a DELETE of
 * `…/files/{id}/metadata` clears it; a GET of that path (the read a backed-up run makes first)
 * answers the file's own values. It answers at once (success, or what `onRequest` says), keeps
 * how many times each file was cleared (DELETEs answered with success only), and calls
 * `onRequest` with the running count as each request arrives, so that a test can act (kill the
 * CLI, send a signal) at an exact request, not at a time.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Answer {
  status: number;
  body: unknown;
}

export interface ClearingServer {
  /** The API root to give the CLI (…/documents/api/1.1). */
  baseUrl: string;
  /** Requests received so far. */
  readonly count: number;
  /** File ID → times a clear of it (a DELETE) was answered with success. */
  cleared: Map<string, number>;
  /** Called as each request arrives, with its number (from 1) and file ID; may return an answer, or 'hold' to never answer. */
  onRequest: ((count: number, fileId: string) => Answer | 'hold' | undefined) | undefined;
  /** Resolves once `n` requests have arrived. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

const OK: Answer = { status: 200, body: { errorCode: '0' } };

export async function startClearingServer(): Promise<ClearingServer> {
  const sockets = new Set<Socket>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const held: ServerResponse[] = [];
  const state: ClearingServer = {
    baseUrl: '',
    count: 0,
    cleared: new Map(),
    onRequest: undefined,
    received: (n) => (state.count >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      Object.assign(state, { count });
      const fileId = decodeURIComponent(/\/files\/([^/]+)\/metadata/.exec(req.url ?? '')?.[1] ?? '');
      const answer = state.onRequest?.(count, fileId) ?? OK;
      for (const waiter of waiters.filter((w) => count >= w.n)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (answer === 'hold') {
        held.push(res);
        return;
      }
      const read = req.method === 'GET';
      if (answer.status === 200 && !read) state.cleared.set(fileId, (state.cleared.get(fileId) ?? 0) + 1);
      const own = state.cleared.has(fileId) ? {} : { A1: `own value of ${fileId}`, A2: `own value of ${fileId}` };
      const body = JSON.stringify(
        read && answer === OK ? { errorCode: '0', metadata: { CollectionA: own } } : answer.body,
      );
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/documents/api/1.1`;
  return state;
}
