/**
 * The node:http server: reads each request (raw path, query, headers, body), records it,
 * hands it to the API whose base path it lies under, and writes the answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHandler } from './api-handler.js';
import { type IncomingRequest, json, type OutgoingResponse } from './http-exchange.js';
import type { RateLimiter } from './rate-limit.js';
import { type RecordedRequest, recordRequest } from './recorded-request.js';

/** Bodies above this size are refused with 413. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Called with one line per request once it is answered: method, path and query, status, time taken, caller. */
  log?: ((line: string) => void) | undefined;
  /** Refuses requests beyond a rate with 429/503 (before they reach an API). */
  rateLimiter?: RateLimiter | undefined;
}

class BodyTooLarge extends Error {}

/** `DELETE /documents/api/1.1/files/F1/metadata 200 3 ms basicAuth:demo`: never a secret (the identity of a token is not shown). */
function logLine(record: RecordedRequest, query: string, ms: number): string {
  const who = record.credential
    ? ` ${record.credential.scheme}${record.credential.scheme === 'basicAuth' ? `:${record.credential.identity}` : ''}`
    : '';
  return `${record.method} ${record.path}${query ? `?${query}` : ''} ${record.status ?? '-'} ${ms} ms${who}`;
}

function readBody(message: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        message.resume();
        return;
      }
      chunks.push(chunk);
    });
    message.on('end', () => resolve(size === 0 ? undefined : Buffer.concat(chunks).toString('utf8')));
    message.on('error', reject);
  });
}

function headersOf(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(res: ServerResponse, response: OutgoingResponse): void {
  const isJson = response.contentType === undefined;
  const payload = isJson ? JSON.stringify(response.body) : String(response.body);
  res.writeHead(response.status, {
    ...response.headers,
    'content-type': response.contentType ?? 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

async function respond(
  req: IncomingMessage,
  apis: readonly ApiHandler[],
  requests: RecordedRequest[],
  options: ServerOptions,
): Promise<OutgoingResponse> {
  const started = Date.now();
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt >= 0 ? target.slice(0, queryAt) : target;
  const rawQuery = queryAt >= 0 ? target.slice(queryAt + 1) : '';
  const headers = headersOf(req);
  const method = (req.method ?? 'GET').toUpperCase();

  let bodyText: string | undefined;
  let tooLarge = false;
  try {
    bodyText = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    tooLarge = true;
  }
  const record = recordRequest(method, rawPath, rawQuery, headers, bodyText);
  requests.push(record);

  const api = apis.find((candidate) => candidate.serves(rawPath));
  let response: OutgoingResponse;
  const refused = api && !tooLarge ? options.rateLimiter?.take() : undefined;
  if (refused) {
    response = refused;
  } else if (tooLarge) {
    response = json(413, { error: `request body larger than ${MAX_BODY_BYTES} bytes` });
  } else if (!api) {
    const served = apis.map((a) => `${a.basePath} (${a.api})`).join(' and ');
    response = json(404, { error: `no route for ${method} ${rawPath}; the sandbox serves ${served}` });
  } else {
    const incoming: IncomingRequest = { method, rawPath, rawQuery, headers, bodyText };
    try {
      response = await api.handle(incoming, record);
    } catch (error) {
      response = json(500, { error: `sandbox error: ${(error as Error).message}` });
    }
  }
  record.status = response.status;
  options.log?.(logLine(record, rawQuery, Date.now() - started));
  return response;
}

/** Starts the server on 127.0.0.1 (port 0: a free port chosen by the system). */
export function startServer(
  port: number,
  apis: readonly ApiHandler[],
  requests: RecordedRequest[],
  options: ServerOptions = {},
): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    respond(req, apis, requests, options).then(
      (response) => send(res, response),
      (error: unknown) => send(res, json(500, { error: `sandbox error: ${(error as Error).message}` })),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
