/**
 * openapi-backend, run in a worker thread owned by one sandbox.
 *
 * Why a worker: openapi-backend (CommonJS) from 5.21 on requires @apidevtools/json-schema-ref-parser 16, which is
 * ESM-only. Node >= 20.19 loads that through require(esm), but Jest's module registry cannot before
 * Node 24.9, so importing openapi-backend in a Jest test fails. A worker thread runs under Node's
 * own module loader whatever the host (Jest, tsx, compiled ESM), so the sandbox works the same in
 * this repository's tests and in its users' tests.
 *
 * The worker loads the bundled specs, and answers two questions per request: which operation a
 * request routes to and what openapi-backend (Ajv) finds wrong with it, and whether a response the
 * sandbox is about to send matches the spec. Everything else stays on the main thread.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SandboxApi } from './recorded-request.js';

/** An Ajv error as the worker reports it (verbose: `data` is the offending value). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
}

/** What the main thread needs to know about an operation, read from the dereferenced spec. */
export interface OperationSummary {
  operationId: string;
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string }>;
  /** Request body media types → the XML root element name for XML types. */
  requestContent: Record<string, { xmlName?: string }>;
  /** Response status → XML root element name of its application/xml content. */
  responseXmlNames: Record<string, string>;
  /** The spec's `x-metaclear-header-dependencies`: header → headers it requires. */
  headerDependencies: Record<string, string[]>;
  /** Security requirements, the spec-wide ones merged in. */
  security: Array<Record<string, string[]>>;
}

export interface ApiSummary {
  securitySchemes: Record<string, unknown>;
  operations: Record<string, OperationSummary>;
}

/** The request as handed to openapi-backend: raw path and query, lower-cased headers. */
export interface BackendRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: unknown;
}

export type RequestCheck =
  | { match: 'none' }
  | { match: 'method'; allowed: string[] }
  | { match: 'operation'; operationId: string; uriError: true }
  | {
      match: 'operation';
      operationId: string;
      uriError?: undefined;
      errors: SchemaError[];
      params: Record<string, unknown>;
      query: Record<string, unknown>;
      cookies: Record<string, string | undefined>;
    };

export interface WorkerApi {
  specPath: string;
  apiRoot: string;
}

/** The worker's source: plain CommonJS, run with `eval: true` so that no file has to ship beside dist/. */
const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { OpenAPIBackend } = createRequire(join(workerData.packageRoot, 'package.json'))('openapi-backend');

// RFC 3339 date-time, the date-time format of OpenAPI (openapi-backend ships only the numeric formats).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const isDateTime = (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];
const backends = {};

const xmlName = (media) => (media && media.schema && media.schema.xml && media.schema.xml.name) || undefined;

function summarize(backend) {
  const operations = {};
  for (const op of backend.getOperations()) {
    const requestContent = {};
    for (const [type, media] of Object.entries((op.requestBody && op.requestBody.content) || {})) {
      requestContent[type] = xmlName(media) ? { xmlName: xmlName(media) } : {};
    }
    const responseXmlNames = {};
    for (const [status, response] of Object.entries(op.responses || {})) {
      const name = xmlName(response && response.content && response.content['application/xml']);
      if (name) responseXmlNames[status] = name;
    }
    operations[op.operationId] = {
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      parameters: (op.parameters || []).map((p) => ({ name: p.name, in: p.in })),
      requestContent,
      responseXmlNames,
      headerDependencies: op['x-metaclear-header-dependencies'] || {},
      security: op.security || [],
    };
  }
  const components = backend.definition.components || {};
  return { securitySchemes: components.securitySchemes || {}, operations };
}

// OpenAPI 3.0: "This object cannot be extended with additional properties and any properties added
// SHALL be ignored." A vendor's text may still put a description beside a $ref (Edge Impulse's
// Job.createdByUser does); openapi-backend's strict check refuses that, so the siblings are
// dropped here, as the specification says to ignore them.
function ignoreRefSiblings(node) {
  if (Array.isArray(node)) return node.map(ignoreRefSiblings);
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, ignoreRefSiblings(value)]));
}

const lite = (errors) =>
  (errors || []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, message: e.message, params: e.params, data: e.data }));

function checkRequest(backend, request) {
  const operation = backend.matchOperation(request);
  if (!operation) {
    const allowed = METHODS.filter((method) => backend.matchOperation({ ...request, method }));
    return allowed.length > 0 ? { match: 'method', allowed: allowed.map((m) => m.toUpperCase()) } : { match: 'none' };
  }
  try {
    const result = backend.validateRequest(request, operation);
    const { cookies } = backend.router.parseRequest(request, operation);
    const coerced = result.coerced || {};
    return {
      match: 'operation',
      operationId: operation.operationId,
      errors: lite(result.errors),
      params: coerced.params || {},
      query: typeof coerced.query === 'object' && coerced.query ? coerced.query : {},
      cookies,
    };
  } catch (error) {
    if (error instanceof URIError) return { match: 'operation', operationId: operation.operationId, uriError: true };
    throw error;
  }
}

function checkResponse(backend, operationId, status, body) {
  return lite(backend.validateResponse(body, operationId, status).errors);
}

async function start() {
  const summaries = {};
  for (const [name, api] of Object.entries(workerData.apis)) {
    const backend = new OpenAPIBackend({
      definition: ignoreRefSiblings(JSON.parse(readFileSync(api.specPath, 'utf8'))),
      apiRoot: api.apiRoot,
      strict: true,
      coerceTypes: true,
      ajvOpts: { allErrors: true, verbose: true },
      customizeAjv: (ajv) => ajv.addFormat('date-time', { type: 'string', validate: isDateTime }),
    });
    await backend.init();
    backends[name] = backend;
    summaries[name] = summarize(backend);
  }
  parentPort.on('message', (message) => {
    try {
      const backend = backends[message.api];
      const result =
        message.kind === 'request'
          ? checkRequest(backend, message.request)
          : checkResponse(backend, message.operationId, message.status, message.body);
      parentPort.postMessage({ id: message.id, result });
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: String((error && error.stack) || error) });
    }
  });
  parentPort.postMessage({ ready: summaries });
}

start().catch((error) => parentPort.postMessage({ failed: String((error && error.stack) || error) }));
`;

/**
 * The openapi-backend versions the sandbox runs with, as package.json's peer range says (^5.20.0):
 * the 5.20 line, and 5.21 on, whose reference parser (@apidevtools/json-schema-ref-parser 16,
 * ESM-only) the worker loads on every supported Node (it declares Node >= 22.19, and runs on 20.19
 * through require(esm); npm only warns there).
 */
export const OPENAPI_BACKEND_RANGE = '^5.20.0';
const SUPPORTED = /^5\.([2-9]\d|\d{3,})\.\d+/;
const INSTALL = `npm install -D openapi-backend@${OPENAPI_BACKEND_RANGE}`;

/** Throws, saying what to install, unless the openapi-backend that `packageRoot` resolves is one the sandbox runs with. */
export function checkOpenApiBackend(packageRoot: string): string {
  let version: unknown;
  try {
    version = (
      createRequire(join(packageRoot, 'package.json'))('openapi-backend/package.json') as { version?: unknown }
    ).version;
  } catch {
    throw new Error(
      `metaclear sandbox: openapi-backend is not installed; it is an optional peer of metaclear: ${INSTALL}`,
    );
  }
  if (typeof version !== 'string' || !SUPPORTED.test(version)) {
    throw new Error(
      `metaclear sandbox: openapi-backend ${String(version)} is installed; expected ${OPENAPI_BACKEND_RANGE}: ${INSTALL}`,
    );
  }
  return version;
}

type Reply = { id: number; result: unknown } | { id: number; error: string };
type Startup = { ready: Record<SandboxApi, ApiSummary> } | { failed: string };

export class ValidationWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 1;
  #broken: Error | undefined;

  private constructor(
    worker: Worker,
    readonly summaries: Record<SandboxApi, ApiSummary>,
  ) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(`validation worker: ${reply.error}`));
      else waiting.resolve(reply.result);
    });
    const fail = (error: Error): void => {
      this.#broken = error;
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`validation worker exited (code ${code})`)));
  }

  /** Starts the worker and waits until it has loaded every spec. */
  static start(packageRoot: string, apis: Record<SandboxApi, WorkerApi>): Promise<ValidationWorker> {
    try {
      checkOpenApiBackend(packageRoot);
    } catch (error) {
      return Promise.reject(error);
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { packageRoot, apis } });
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      worker.once('error', onError);
      worker.once('message', (message: Startup) => {
        worker.off('error', onError);
        if ('ready' in message) {
          resolve(new ValidationWorker(worker, message.ready));
        } else {
          void worker.terminate();
          reject(new Error(`metaclear sandbox: cannot load the specs: ${message.failed}`));
        }
      });
    });
  }

  checkRequest(api: SandboxApi, request: BackendRequest): Promise<RequestCheck> {
    return this.#ask({ kind: 'request', api, request }) as Promise<RequestCheck>;
  }

  checkResponse(api: SandboxApi, operationId: string, status: number, body: unknown): Promise<SchemaError[]> {
    return this.#ask({ kind: 'response', api, operationId, status, body }) as Promise<SchemaError[]>;
  }

  async close(): Promise<void> {
    this.#worker.removeAllListeners('exit');
    await this.#worker.terminate();
  }

  #ask(message: Record<string, unknown>): Promise<unknown> {
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }
}
