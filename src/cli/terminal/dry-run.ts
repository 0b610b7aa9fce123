/**
 * --dry-run: the client gets a fetch that records the Request the facade built, answers a
 * synthetic success without touching the network, and prints the request with every credential
 * header replaced by "[redacted]". What is printed is exactly what would have been sent.
 */

import { REDACTED } from '../../core/redact.js';
import type { CliContext } from '../context.js';

/** Headers that carry credentials in either API. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-jwt-token',
  'accesstoken',
  'cookie',
]);

export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as sent (text). */
  body: string;
}

/** A fetch for the client: captures each request and answers `answer(url)` as JSON with status 200. */
export function captureFetch(
  answer: (url: URL) => unknown,
  onRequest: (request: CapturedRequest) => void,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
    });
    onRequest({ method: request.method, url: request.url, headers, body: await request.text() });
    return new Response(JSON.stringify(answer(new URL(request.url))), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

function parsedBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Human: an HTTP-like block (request line, headers, blank line, body). JSON: one object on one line. */
export function printRequest(ctx: CliContext, request: CapturedRequest, json: boolean): void {
  if (json) {
    const query = Object.fromEntries(new URL(request.url).searchParams);
    ctx.out.json({
      dryRun: true,
      method: request.method,
      url: request.url,
      ...(Object.keys(query).length > 0 ? { query } : {}),
      headers: request.headers,
      ...(request.body === '' ? {} : { body: parsedBody(request.body) }),
    });
    return;
  }
  ctx.out.line(`${request.method} ${request.url}`);
  for (const [name, value] of Object.entries(request.headers)) ctx.out.line(`${name}: ${value}`);
  if (request.body !== '') ctx.out.line(`\n${request.body}`);
  ctx.out.line();
}

/** The dry run of one command: the client's fetch, and the count of requests it printed. */
export class DryRun {
  readonly #ctx: CliContext;
  #printed = 0;
  readonly fetch: typeof fetch;

  constructor(ctx: CliContext, json: boolean, answer: (url: URL) => unknown) {
    this.#ctx = ctx;
    this.fetch = captureFetch(answer, (request) => {
      this.#printed++;
      printRequest(ctx, request, json);
    });
  }

  /** On stderr, after the run. `reads`: the run sent its reads (a preview), and nothing else. */
  notice(options: { reads?: boolean } = {}): void {
    const n = this.#printed;
    const printed = `dry run: ${n} request${n === 1 ? '' : 's'} printed`;
    this.#ctx.err.line(
      options.reads ? `${printed}; only reads were sent, nothing was changed` : `${printed}; nothing was sent`,
    );
  }
}
