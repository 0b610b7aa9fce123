/**
 * A real HTTP proxy on 127.0.0.1 in front of another local server (the sandbox), that
 * misbehaves on cue per request: answers an error itself, breaks the connection, or delays.
 * It counts what it saw (per request target too), including how many requests were in flight at
 * once. A failure of its own upstream request becomes a 502 answer, never an unhandled error.
 */
import { Agent, createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** The request reaches the upstream server, which does it; its answer is replaced by this status and an empty body. */
  | { kind: 'done-then-status'; status: number }
  /** The request reaches the upstream server, which does it; then the client's connection is reset: its answer is lost. */
  | { kind: 'done-then-reset' }
  | undefined;

export interface FaultProxy {
  url: string;
  seen: number;
  /** How many requests arrived for each request target (path and query). */
  seenByUrl: Map<string, number>;
  maxInFlight: number;
  /** The requests the upstream server answered (as the answer arrived, before it is handed on). */
  answered: { method: string; url: string; status: number }[];
  close(): Promise<void>;
}

export async function startFaultProxy(
  upstream: string,
  faultFor: (request: IncomingMessage) => Fault,
): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  // A kept-alive upstream connection is let go after 1 s idle, well before the upstream server's
  // own keep-alive timeout (5 s by default) could close it just as it is reused.
  const agent = new Agent({ keepAlive: true, timeout: 1000 });
  let inFlight = 0;
  const proxy: FaultProxy = {
    url: '',
    seen: 0,
    seenByUrl: new Map(),
    maxInFlight: 0,
    answered: [],
    close: async () => undefined,
  };
  const server = createServer(async (req, res) => {
    proxy.seen++;
    proxy.seenByUrl.set(req.url ?? '', (proxy.seenByUrl.get(req.url ?? '') ?? 0) + 1);
    inFlight++;
    proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const fault = faultFor(req);
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errorCode: String(fault.status), title: 'injected failure' }));
        return;
      }
      if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection'].includes(k)),
      ) as Record<string, string>;
      const body = Buffer.concat(chunks);
      if (chunks.length) headers['content-length'] = String(body.length);
      // Forwarded over kept-alive connections: a new connection per request (as fetch makes
      // after a DELETE with a body) costs a busy machine more than the whole test.
      const answer = await new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
        const forward = request(
          new URL(req.url ?? '/', upstream),
          { method: req.method ?? 'GET', headers, agent },
          (up) => {
            const parts: Buffer[] = [];
            up.on('data', (c: Buffer) => parts.push(c));
            up.on('end', () =>
              resolve({
                status: up.statusCode ?? 502,
                type: String(up.headers['content-type'] ?? 'application/octet-stream'),
                body: Buffer.concat(parts),
              }),
            );
            up.on('error', reject);
          },
        );
        forward.on('error', reject);
        forward.end(chunks.length ? body : undefined);
      }).catch((error: Error) => ({
        status: 502,
        type: 'text/plain',
        body: Buffer.from(`fault proxy: upstream failed: ${error.message}`),
      }));
      proxy.answered.push({ method: req.method ?? 'GET', url: req.url ?? '', status: answer.status });
      if (fault?.kind === 'done-then-reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'done-then-status') {
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    } catch {
      // The client went away while its request was read: nobody is left to answer.
      req.socket.destroy();
    } finally {
      inFlight--;
    }
  });
  // The client's kept-alive connections are never closed under it while it may reuse them.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      agent.destroy();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
