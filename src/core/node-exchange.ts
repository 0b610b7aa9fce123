/**
 * One HTTP exchange over node:http / node:https, through the client's connections
 * (connections.ts): the body is sent with its Content-Length, and the answer is read as it
 * arrives, decoded if compressed, and cut off past `maxAnswerBytes`. Everything the exchange
 * holds is reachable from its socket and from `stop`: nothing depends on garbage collection.
 *
 * Memory: Node's HTTP client makes two buffers of every byte it reads (the socket's read, and the
 * parser's copy of the body), and both would wait for the garbage collector. On the client's own
 * connections the exchange gives each read buffer back as soon as the parser has taken the body
 * out of it, and the body it kept once it is copied out or refused; so refusing an answer of any
 * size costs about maxAnswerBytes, however many are refused in a row.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Connections } from './connections.js';
import { AnswerTooLargeError, UndecodableAnswerError } from './errors.js';
import { type Answer, type AttemptRequest, describeConnectionError, type Exchange, hasNoBody } from './transport.js';
import { USER_AGENT } from './version.js';

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

function headerPairs(raw: string[], decoded: boolean): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    // The body handed on is the decoded one: its encoding and length headers no longer apply.
    if (decoded && (lower === 'content-encoding' || lower === 'content-length')) continue;
    pairs.push([name, raw[i + 1] as string]);
  }
  return pairs;
}

const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer, length: number) => ArrayBuffer }).transfer;
let closedPort: MessagePort | undefined;

/**
 * Gives the memory of a buffer back now instead of at the next garbage collection, when the
 * buffer is the whole of its ArrayBuffer (never a slice of a shared one): the ArrayBuffer is
 * detached, with `transfer(0)` (Node 22 on) or by transferring it to a closed port (Node 20).
 */
function release(chunk: Uint8Array): void {
  const buffer = chunk.buffer;
  if (!(buffer instanceof ArrayBuffer) || chunk.byteOffset !== 0 || chunk.byteLength !== buffer.byteLength) return;
  if (buffer.byteLength < 4096) return;
  try {
    if (transfer) {
      transfer.call(buffer, 0);
      return;
    }
    if (!closedPort) {
      closedPort = new MessageChannel().port1;
      closedPort.close();
    }
    closedPort.postMessage(null, [buffer]);
  } catch {
    // Not detachable (Node marks some buffers so): the garbage collector frees it.
  }
}

const aborted = (): Error => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });

export function createNodeExchange(connections: Connections): Exchange {
  return async (request, maxAnswerBytes, stop, fresh = false) => {
    // A fresh connection: the idle ones are no longer trusted (one of them was found closed).
    if (fresh) await connections.dropIdle(request.url);
    return exchange(connections, request, maxAnswerBytes, stop);
  };
}

function exchange(
  connections: Connections,
  request: AttemptRequest,
  maxAnswerBytes: number,
  stop: AbortSignal,
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const { url, method, body } = request;
    const isHttps = url.protocol === 'https:';
    const ownSockets = connections.ownAgent(url);
    let settled = false;
    let decoder: Transform | undefined;
    let req: ReturnType<typeof httpRequest> | undefined;
    let res: IncomingMessage | undefined;
    let socket: Socket | undefined;
    /** Bytes that came back on the socket during this exchange: none means the server sent no answer at all. */
    let received = 0;
    let chunks: Buffer[] = [];
    const dropChunks = (): void => {
      if (ownSockets && !decoder) for (const chunk of chunks) release(chunk);
      chunks = [];
    };
    // Runs after the HTTP parser's own listener (added before the request's 'socket' event): by
    // then the parser has copied what it needs out of `data`.
    const onData = (data: Buffer): void => {
      received += data.length;
      if (ownSockets && !decoder && (res === undefined || res.readableLength === 0)) release(data);
    };
    const onStop = (): void => fail(stop.reason);
    function finish(): void {
      settled = true;
      stop.removeEventListener('abort', onStop);
      socket?.removeListener('data', onData);
    }
    function fail(error: unknown): void {
      if (settled) return;
      finish();
      decoder?.destroy();
      req?.destroy();
      dropChunks();
      reject(error);
    }
    if (stop.aborted) {
      reject(stop.reason);
      return;
    }
    stop.addEventListener('abort', onStop, { once: true });
    const headers: Record<string, string> = { ...request.headers };
    headers['user-agent'] ??= USER_AGENT;
    if (body !== null) headers['content-length'] = String(body.byteLength);
    try {
      req = (isHttps ? httpsRequest : httpRequest)(url, {
        method,
        headers,
        agent: connections.agentFor(url),
        // For a tunnel being opened for this request (connections.ts): it ends with the attempt.
        tunnelStop: stop,
      } as RequestOptions);
    } catch (error) {
      fail(describeConnectionError(error, url));
      return;
    }
    const current = req;
    current.once('socket', (s: Socket) => {
      socket = s;
      if (!settled) s.on('data', onData);
    });
    current.on('error', (error) => {
      // A kept-alive connection that broke before any byte of an answer: closed while it was idle.
      fail(describeConnectionError(error, url, current.reusedSocket && received === 0 && res === undefined));
    });
    current.on('response', (response: IncomingMessage) => {
      res = response;
      const status = response.statusCode ?? 0;
      let size = 0;
      const answer = (bodyBytes: Uint8Array | null): void => {
        if (settled) return;
        finish();
        resolve({
          status,
          statusText: response.statusMessage ?? '',
          headers: headerPairs(response.rawHeaders, decoder !== undefined),
          body: bodyBytes,
        });
      };
      const whole = (): Buffer => {
        const bytes = Buffer.concat(chunks, size);
        dropChunks();
        return bytes;
      };
      const collect = (chunk: Buffer): void => {
        if (settled) return;
        size += chunk.length;
        if (size > maxAnswerBytes) fail(new AnswerTooLargeError(status, maxAnswerBytes, decoder !== undefined));
        else chunks.push(chunk);
      };
      response.on('error', (error) => fail(describeConnectionError(error, url)));
      response.on('aborted', () => fail(describeConnectionError(aborted(), url)));
      if (hasNoBody(method, status)) {
        response.resume();
        response.on('end', () => answer(null));
        return;
      }
      const encoding = response.headers['content-encoding']?.trim().toLowerCase();
      decoder = decoderFor(encoding);
      if (encoding && encoding !== 'identity' && !decoder) {
        fail(new UndecodableAnswerError(status, encoding, 'is not one this client decodes (gzip, deflate, br)'));
        return;
      }
      if (Number(response.headers['content-length']) > maxAnswerBytes) {
        fail(new AnswerTooLargeError(status, maxAnswerBytes, false));
        return;
      }
      const ended = (then: () => void) => () => {
        if (!response.complete) fail(describeConnectionError(aborted(), url));
        else then();
      };
      if (decoder) {
        const d = decoder;
        let wire = 0;
        d.on('data', collect);
        // The bytes arrived but do not decode: another attempt would get the same.
        d.on('error', (error) =>
          fail(new UndecodableAnswerError(status, encoding ?? '', `does not decode: ${error.message}`, error)),
        );
        d.on('end', () => answer(whole()));
        response.on('data', (chunk: Buffer) => {
          wire += chunk.length;
          if (wire > maxAnswerBytes) fail(new AnswerTooLargeError(status, maxAnswerBytes, false));
          else if (!settled) d.write(chunk);
        });
        response.on(
          'end',
          ended(() => d.end()),
        );
      } else {
        response.on('data', collect);
        response.on(
          'end',
          ended(() => answer(whole())),
        );
      }
    });
    current.end(body ?? undefined);
  });
}
