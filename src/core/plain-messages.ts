/**
 * The request and answer of a facade call when no middleware needs web objects: openapi-fetch
 * builds a PlainRequest (its `Request` option) instead of a web Request, and the transport
 * answers with a PlainResponse instead of a web Response. Both keep their parts as they are
 * (a JSON string, a Buffer): no web stream is made for a body a few hundred bytes long. They
 * offer exactly what openapi-fetch and the facade read; `raw` calls and any call made while
 * middleware is registered still get web Requests and Responses.
 */

export class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | null;
  readonly signal: AbortSignal | undefined;

  constructor(url: string, init: { method?: string; headers?: Headers; body?: unknown; signal?: AbortSignal } = {}) {
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('PlainRequest takes a string body (the facade sends JSON)');
    }
    this.url = url;
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = init.headers ?? new Headers();
    this.body = init.body ?? null;
    this.signal = init.signal;
  }
}

/** The answer's headers, as the facade reads them (`get`, case-insensitive; repeated headers joined). */
export class PlainHeaders {
  readonly #pairs: readonly [string, string][];
  constructor(pairs: readonly [string, string][]) {
    this.#pairs = pairs;
  }
  get(name: string): string | null {
    const wanted = name.toLowerCase();
    let value: string | null = null;
    for (const [k, v] of this.#pairs) {
      if (k.toLowerCase() === wanted) value = value === null ? v : `${value}, ${v}`;
    }
    return value;
  }
  has(name: string): boolean {
    return this.get(name) !== null;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const [k, v] of this.#pairs) callback(v, k.toLowerCase());
  }
}

export class PlainResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: PlainHeaders;
  readonly redirected = false;
  readonly type = 'basic';
  readonly url: string;
  #body: Uint8Array | null;

  constructor(status: number, statusText: string, pairs: [string, string][], body: Uint8Array | null, url: string) {
    this.status = status;
    this.statusText = statusText;
    this.ok = status >= 200 && status < 300;
    this.headers = new PlainHeaders(pairs);
    this.#body = body;
    this.url = url;
  }

  get bodyUsed(): boolean {
    return this.#body === null;
  }

  #take(): Uint8Array {
    const body = this.#body;
    if (body === null) return new Uint8Array(0);
    this.#body = null;
    return body;
  }

  async text(): Promise<string> {
    return Buffer.from(this.#take()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.#take();
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }
}
