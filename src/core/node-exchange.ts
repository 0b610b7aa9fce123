/**
 * One HTTP exchange over node:http / node:https with the client's keep-alive agents: the
 * connection is reused for every method (the body is sent with its Content-Length), and the
 * answer is read as it arrives, decoded if compressed, and cut off past `maxAnswerBytes`.
 * Everything the exchange holds is reachable from its socket and from `stop`: nothing depends
 * on garbage collection.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type Answer, type AttemptRequest, type Exchange, hasNoBody } from './attempt.js';
import { AnswerTooLargeError, describeConnectionError, UndecodableAnswerError } from './transport-errors.js';
import { USER_AGENT } from './version.js';

/** The keep-alive agents of one client: connections per origin grow only to the calls in flight. */
export interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

export function createAgents(): Agents {
  const options = { keepAlive: true, scheduling: 'lifo' as const };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

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

export function createNodeExchange(agents: Agents): Exchange {
  return (request: AttemptRequest, maxAnswerBytes: number, stop: AbortSignal): Promise<Answer> =>
    new Promise<Answer>((resolve, reject) => {
      const { url, method, body } = request;
      const isHttps = url.protocol === 'https:';
      let settled = false;
      let decoder: Transform | undefined;
      let req: ReturnType<typeof httpRequest> | undefined;
      const onStop = (): void => fail(stop.reason);
      function finish(): void {
        settled = true;
        stop.removeEventListener('abort', onStop);
      }
      function fail(error: unknown): void {
        if (settled) return;
        finish();
        decoder?.destroy();
        req?.destroy();
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
          agent: isHttps ? agents.https : agents.http,
        });
      } catch (error) {
        fail(describeConnectionError(error, url));
        return;
      }
      req.on('error', (error) => fail(describeConnectionError(error, url)));
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = (bodyBytes: Uint8Array | null): void => {
          if (settled) return;
          finish();
          resolve({
            status,
            statusText: res.statusMessage ?? '',
            headers: headerPairs(res.rawHeaders, decoder !== undefined),
            body: bodyBytes,
          });
        };
        const collect = (chunk: Buffer): void => {
          size += chunk.length;
          if (size > maxAnswerBytes) fail(new AnswerTooLargeError(status, maxAnswerBytes, decoder !== undefined));
          else chunks.push(chunk);
        };
        res.on('error', (error) => fail(describeConnectionError(error, url)));
        res.on('aborted', () =>
          fail(describeConnectionError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), url)),
        );
        if (hasNoBody(method, status)) {
          res.resume();
          res.on('end', () => answer(null));
          return;
        }
        const encoding = res.headers['content-encoding']?.trim().toLowerCase();
        decoder = decoderFor(encoding);
        if (encoding && encoding !== 'identity' && !decoder) {
          fail(new UndecodableAnswerError(status, encoding, 'is not one this client decodes (gzip, deflate, br)'));
          return;
        }
        if (Number(res.headers['content-length']) > maxAnswerBytes) {
          fail(new AnswerTooLargeError(status, maxAnswerBytes, false));
          return;
        }
        if (decoder) {
          const d = decoder;
          let wire = 0;
          d.on('data', collect);
          // The bytes arrived but do not decode: another attempt would get the same.
          d.on('error', (error) =>
            fail(new UndecodableAnswerError(status, encoding ?? '', `does not decode: ${error.message}`, error)),
          );
          d.on('end', () => answer(Buffer.concat(chunks, size)));
          res.on('data', (chunk: Buffer) => {
            wire += chunk.length;
            if (wire > maxAnswerBytes) fail(new AnswerTooLargeError(status, maxAnswerBytes, false));
            else d.write(chunk);
          });
          res.on('end', () => {
            if (!res.complete)
              fail(describeConnectionError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), url));
            else d.end();
          });
        } else {
          res.on('data', collect);
          res.on('end', () => {
            if (!res.complete)
              fail(describeConnectionError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), url));
            else answer(Buffer.concat(chunks, size));
          });
        }
      });
      req.end(body ?? undefined);
    });
}
