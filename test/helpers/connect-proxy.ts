/**
 * A real HTTP proxy on 127.0.0.1 that opens CONNECT tunnels, as a corporate proxy does: it
 * records every CONNECT (target and Proxy-Authorization), may refuse one with a status, and
 * connects each tunnel to `route(target)` (a local server: the client never resolves the
 * target's name itself, the proxy does). Plain requests are refused with 405: clients must tunnel.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export interface SeenConnect {
  /** The request target of the CONNECT: `host:port`. */
  target: string;
  proxyAuthorization: string | undefined;
}

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  connects: SeenConnect[];
  /** Tunnels currently open. */
  open(): number;
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** Where a tunnel to `target` leads: `{ host, port }` of a local server. */
  route: (target: string) => { host: string; port: number };
  /** A status to refuse the CONNECT with (and the body to send), or undefined to open the tunnel. */
  refuse?: (request: IncomingMessage) => { status: number; body?: string } | undefined;
}

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  let tunnels = 0;
  const connects: SeenConnect[] = [];
  const server = createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push({ target, proxyAuthorization: req.headers['proxy-authorization'] });
    client.on('error', () => undefined);
    const refusal = options.refuse?.(req);
    if (refusal) {
      const body = refusal.body ?? '';
      client.end(
        `HTTP/1.1 ${refusal.status} Refused\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    const { host, port } = options.route(target);
    let established = false;
    const upstream = connect(port, host, () => {
      established = true;
      tunnels++;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => {
      if (established) tunnels--;
      established = false;
      upstream.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    open: () => tunnels,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
