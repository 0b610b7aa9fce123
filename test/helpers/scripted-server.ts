/**
 * A real HTTP server on 127.0.0.1 that records every request and answers as the test script
 * says: for tests of what reaches the wire, and of how the clients take odd answers.
 *
 * Each `reply()` starts a new script: it closes every open connection, and a request that
 * belongs to an earlier script (one a previous test's client had sent just before it gave up,
 * still on its way through a busy machine) is neither recorded nor answered, so it can never use
 * up an answer meant for the current one. Call `settle()` after each test: it waits until the
 * connections of the test are accepted, then closes them all.
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
  /** The requests of the current script, in the order they arrived. */
  requests: SeenRequest[];
  /** Starts a new script: answers, used in order; the last one repeats. */
  reply(...replies: Reply[]): void;
  /** Resolves once the current script has recorded `count` requests. */
  received(count: number): Promise<void>;
  /** Ends the current script and closes every connection; resolves once they are closed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A reply that never answers: the request stays open until its connection closes. */
export const neverAnswer: Reply = () => new Promise<void>(() => undefined);

export async function startScriptedServer(...initial: Reply[]): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  let replies: Reply[] = initial.length ? initial : [{ status: 200, body: {} }];
  let generation = 0;
  const sockets = new Set<Socket>();
  const waiters: { count: number; resolve: () => void }[] = [];

  const closeAll = (): Promise<void> => {
    const closing = [...sockets].map((socket) => new Promise<void>((done) => socket.once('close', () => done())));
    for (const socket of sockets) socket.destroy();
    return Promise.all(closing).then(() => undefined);
  };
  const newScript = (next: Reply[]): Promise<void> => {
    generation++;
    replies = next;
    requests.length = 0;
    return closeAll();
  };

  const server: Server = createServer(async (req, res) => {
    const mine = generation;
    const script = replies;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client gave up while sending the body
    }
    if (mine !== generation) {
      req.socket.destroy();
      return;
    }
    const seen: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(seen);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const reply = script[Math.min(requests.length - 1, script.length - 1)] as Reply;
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
      void newScript(next);
    },
    received: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    settle: async () => {
      // A connection a client gave up on just before the test ended may still wait in the
      // listen queue: let the event loop accept it (a poll phase) before everything is closed,
      // so the request it carries is never read.
      for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
      await newScript(replies);
    },
    close: async () => {
      generation++;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeAll();
      await closed;
    },
  };
}
