/**
 * The connections of one client on Node's HTTP stack: a keep-alive agent per protocol whose idle
 * connections close after `idleTimeoutMs` (or sooner, when the server's Keep-Alive header says it
 * closes them sooner), the TLS settings (`ca`), and the proxy: HTTPS requests go through a CONNECT
 * tunnel when `proxy` (or HTTPS_PROXY) names one and `noProxy` (or NO_PROXY) does not list the
 * host. A tunnel is a kept-alive connection like any other. Or the caller's own agents.
 */
// Node's agents and Buffer are part of this module's public options: its declarations say so, and
// bring Node's types into a consumer's program even where `types` lists none (TypeScript 7's
// default). @types/node is a peer dependency of the package for them.
/// <reference types="node" preserve="true" />
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions as HttpsRequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { ConnectionError, ValidationError } from './errors.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 4000;
export const MAX_IDLE_TIMEOUT_MS = 600_000;

/** A proxy to tunnel through. */
export interface Proxy {
  host: string;
  port: number;
  /** The Proxy-Authorization header for the credentials in its URL, if any. */
  authorization: string | undefined;
  /** Its credentials, to keep out of errors. */
  secrets: string[];
}

export interface ConnectionSettings {
  idleTimeoutMs: number;
  ca: string | Buffer | (string | Buffer)[] | undefined;
  proxy: Proxy | undefined;
  /** NO_PROXY's list: hosts, `.domains`, `host:port`, or `*`. */
  noProxy: string;
  /** The caller's agents; when given, the settings above are theirs. */
  agent: { http?: HttpAgent | undefined; https?: HttpsAgent | undefined } | undefined;
}

export interface Connections {
  /** The agent a request to `url` goes through. */
  agentFor(url: URL): HttpAgent;
  /** Whether the sockets of that agent are the client's own (and so their read buffers may be freed as they are read). */
  ownAgent(url: URL): boolean;
  /** Closes the idle connections the agent for `url` keeps, so that the next request opens a new one. */
  dropIdle(url: URL): Promise<void>;
  /** Closes every connection of the client's own agents (not the caller's). */
  close(): void;
}

const PROXY_EXPECTED = 'an http:// URL of the proxy (http://[user:password@]host:port)';

/** A proxy URL as HTTPS_PROXY or the `proxy` option gives it; never echoed (it may hold a password). */
export function requireProxy(field: string, value: unknown): Proxy {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(
      field,
      PROXY_EXPECTED,
      `got ${typeof value === 'string' ? 'an empty string' : typeof value}`,
    );
  }
  const text = value.trim();
  let url: URL;
  try {
    // As curl reads it: a proxy without a scheme is an HTTP proxy.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new ValidationError(field, PROXY_EXPECTED, 'not a valid URL');
  }
  if (url.protocol !== 'http:') {
    throw new ValidationError(field, PROXY_EXPECTED, `the scheme ${url.protocol} is not supported`);
  }
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ValidationError(field, PROXY_EXPECTED, 'it has a path, query or fragment');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const secrets: string[] = [];
  let authorization: string | undefined;
  if (url.username || url.password) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    const encoded = Buffer.from(pair, 'utf8').toString('base64');
    authorization = `Basic ${encoded}`;
    secrets.push(pair, encoded, authorization);
    if (url.password) secrets.push(decodeURIComponent(url.password), url.password);
  }
  return { host, port: Number(url.port || 80), authorization, secrets };
}

/** Whether NO_PROXY's list names the host (and port) of `url`. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // "[::1]:443", "::1", "host:443", "host", ".domain", "*.domain"
    const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:]+)(?::(\d+))?$/.exec(entry);
    const name = (match ? (match[1] as string) : entry).replace(/^\*?\./, '');
    if (match?.[2] !== undefined && match[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** An HTTPS agent whose connections are TLS inside a CONNECT tunnel through the proxy. */
class TunnelAgent extends HttpsAgent {
  readonly #proxy: Proxy;
  constructor(proxy: Proxy, options: ConstructorParameters<typeof HttpsAgent>[0]) {
    super(options);
    this.#proxy = proxy;
  }

  override createConnection(
    options: HttpsRequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const done = callback as (err: Error | null, stream?: Duplex) => void;
    const proxy = this.#proxy;
    const host = String(options.host ?? options.hostname ?? 'localhost');
    const target = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 443}`;
    const where = `the proxy ${proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host}:${proxy.port}`;
    const connect = httpRequest({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) },
      agent: false,
    });
    // The attempt's stop (node-exchange.ts): its timeout and the caller's abort end the tunnel's setup too.
    const stop = (options as { tunnelStop?: AbortSignal }).tunnelStop;
    const onStop = (): void => {
      connect.destroy(stop?.reason);
    };
    stop?.addEventListener('abort', onStop, { once: true });
    const settle = (error: Error | null, stream?: Duplex): void => {
      stop?.removeEventListener('abort', onStop);
      done(error, stream);
    };
    connect.once('connect', (res, socket, head) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        socket.destroy();
        const message = `${where} refused a tunnel to ${target} (HTTP ${status})`;
        // 502, 503, 504: it could not reach the server this time; anything else would be refused again.
        settle(new ConnectionError(message, 'ERR_PROXY_TUNNEL', status >= 502 && status <= 504, undefined));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      settle(null, tlsConnect({ ...options, socket, servername: options.servername ?? host } as never));
    });
    connect.once('error', (error: NodeJS.ErrnoException) => {
      if (stop?.aborted) {
        settle(error);
        return;
      }
      const code = error.code;
      settle(new ConnectionError(`${code ?? error.message} to ${where}`, code, true, error));
    });
    connect.end();
    return undefined;
  }
}

export function createConnections(settings: ConnectionSettings): Connections {
  const options = { keepAlive: true, scheduling: 'lifo' as const, timeout: settings.idleTimeoutMs };
  const tls = settings.ca === undefined ? {} : { ca: settings.ca };
  const own: HttpAgent[] = [];
  const make = <A extends HttpAgent>(agent: A): A => {
    own.push(agent);
    return agent;
  };
  const http = settings.agent?.http ?? make(new HttpAgent(options));
  const https = settings.agent?.https ?? make(new HttpsAgent({ ...options, ...tls }));
  const proxy = settings.proxy;
  const tunnel = proxy ? make(new TunnelAgent(proxy, { ...options, ...tls })) : undefined;
  const agentFor = (url: URL): HttpAgent => {
    if (url.protocol !== 'https:') return http;
    return tunnel && !bypassesProxy(url, settings.noProxy) ? tunnel : https;
  };
  return {
    agentFor,
    ownAgent: (url) => own.includes(agentFor(url)),
    async dropIdle(url) {
      const closing: Promise<void>[] = [];
      for (const sockets of Object.values(agentFor(url).freeSockets)) {
        for (const socket of sockets ?? []) {
          if (socket.closed) continue;
          closing.push(new Promise((resolve) => socket.once('close', () => resolve())));
          socket.destroy();
        }
      }
      await Promise.all(closing);
    },
    close() {
      for (const agent of own) agent.destroy();
    },
  };
}
