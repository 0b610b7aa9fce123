/**
 * A real HTTP server on 127.0.0.1 that records every request and answers as the test script
 * says: for tests of what reaches the wire, and of how the clients take odd answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  method: string;
  /** The request target exactly as it arrived (path and query, still encoded). */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | ((request: SeenRequest, res: ServerResponse, socket: Socket) => void | Promise<void>);

export interface ScriptedServer {
  url: string;
  requests: SeenRequest[];
  /** Answers, used in order; the last one repeats. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(...initial: Reply[]): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  let replies: Reply[] = initial.length ? initial : [{ status: 200, body: {} }];
  const sockets = new Set<Socket>();

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(seen);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)] as Reply;
    if (typeof reply === 'function') {
      await reply(seen, res, req.socket);
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    const body =
      reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
    res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers });
    res.end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(...next) {
      replies = next;
      requests.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
