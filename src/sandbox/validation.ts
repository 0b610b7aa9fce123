/**
 * Request validation against one API's bundled spec. Routing and schema validation are
 * openapi-backend's (Ajv underneath), run in the validation worker; this module prepares the
 * request for it (body media type, JSON/XML decoding), applies the one rule the spec carries as
 * an extension (`x-metaclear-header-dependencies`), and turns the errors into sentences that
 * name the parameter or field.
 */
import { type IncomingRequest, mediaType } from './http-exchange.js';
import type { SandboxApi } from './recorded-request.js';
import type { ApiSummary, OperationSummary, SchemaError, ValidationWorker } from './validation-worker.js';
import { parseFlatXml } from './xml.js';

export type ValidationOutcome =
  | { kind: 'no-route' }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'rejected'; operationId: string; status: 400 | 415; reasons: string[] }
  | {
      kind: 'valid';
      operation: OperationSummary;
      operationId: string;
      /** Path parameters, percent-decoded once and coerced to their schema types. */
      params: Record<string, unknown>;
      /** Query parameters, coerced to their schema types. */
      query: Record<string, unknown>;
      cookies: Record<string, string | undefined>;
      /** The decoded body (JSON value, or the fields of an XML element), undefined when there was none. */
      body: unknown;
    };

const isJson = (type: string): boolean => type === 'application/json' || type.endsWith('+json');
const isXml = (type: string): boolean => type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');

/** The body decoded by its Content-Type alone, before routing tells which types the operation takes. */
interface DecodedBody {
  type: string;
  present: boolean;
  /** What openapi-backend validates: JSON as text (it parses it and validates the value), XML as its fields. */
  forValidator: unknown;
  value: unknown;
  xmlRoot?: string;
  problem?: string;
}

function decodeBody(request: IncomingRequest): DecodedBody {
  const type = mediaType(request.headers['content-type']);
  const text = request.bodyText;
  if (text === undefined || text === '') return { type, present: false, forValidator: undefined, value: undefined };
  if (isJson(type)) {
    try {
      return { type, present: true, forValidator: text, value: JSON.parse(text) };
    } catch (error) {
      const problem = `the request body is not valid JSON: ${(error as Error).message}`;
      return { type, present: true, forValidator: undefined, value: undefined, problem };
    }
  }
  if (isXml(type)) {
    try {
      const { root, fields } = parseFlatXml(text);
      return { type, present: true, forValidator: fields, value: fields, xmlRoot: root };
    } catch (error) {
      const problem = `the request body is not valid XML: ${(error as Error).message}`;
      return { type, present: true, forValidator: undefined, value: undefined, problem };
    }
  }
  return { type, present: true, forValidator: text, value: text };
}

/** The first problem with the body's media type or encoding, for the operation it reached. */
function bodyProblem(
  body: DecodedBody,
  operation: OperationSummary,
): { status: 400 | 415; reason: string } | undefined {
  const accepted = Object.keys(operation.requestContent);
  if (!body.present || accepted.length === 0) return undefined;
  if (!accepted.includes(body.type)) {
    const sent = body.type === '' ? 'a missing Content-Type' : `Content-Type '${body.type}'`;
    return { status: 415, reason: `${sent} is not supported for this request body; send ${accepted.join(' or ')}` };
  }
  if (body.problem) return { status: 400, reason: body.problem };
  const root = operation.requestContent[body.type]?.xmlName;
  if (body.xmlRoot !== undefined && root !== undefined && body.xmlRoot !== root) {
    return {
      status: 400,
      reason: `the request body is not valid XML: expected root element <${root}>, got <${body.xmlRoot}>`,
    };
  }
  return undefined;
}

/** `x-metaclear-header-dependencies: { appLinkID: [accessToken] }`: a header that needs others. */
function headerDependencyReasons(headers: Record<string, string>, operation: OperationSummary): string[] {
  const reasons: string[] = [];
  for (const [header, needs] of Object.entries(operation.headerDependencies)) {
    if (headers[header.toLowerCase()] === undefined) continue;
    for (const needed of needs) {
      if (headers[needed.toLowerCase()] === undefined)
        reasons.push(`header '${header}' requires header '${needed}' as well`);
    }
  }
  return reasons;
}

export function describeError(error: SchemaError, operation: OperationSummary): string {
  const [, location, ...rest] = error.instancePath.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const headerName = (lower: string): string =>
    operation.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === lower)?.name ?? lower;
  const subject = (where: string | undefined, path: string[]): string => {
    const name = path.join('.');
    switch (where) {
      case 'path':
        return name ? `path parameter '${name}'` : 'the path';
      case 'query':
        return name ? `query parameter '${name}'` : 'the query';
      case 'header':
        return name ? `header '${headerName(name)}'` : 'the headers';
      case 'cookie':
        return name ? `cookie '${name}'` : 'the cookies';
      case 'requestBody':
        return name ? `request body field '${name}'` : 'the request body';
      default:
        return 'the request';
    }
  };
  const { params } = error;
  const got = error.data !== undefined && typeof error.data !== 'object' ? ` (got ${JSON.stringify(error.data)})` : '';

  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    const missing = params.missingProperty;
    if (location === undefined)
      return missing === 'requestBody' ? 'the request body is required' : `${missing} is required`;
    return `${subject(location, [...rest, missing])} is required`;
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${subject(location, [...rest, params.additionalProperty])} is not defined for this operation`;
  }
  if (error.keyword === 'parse') return `the request body is not valid JSON: ${error.message ?? ''}`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${subject(location, rest)} must be one of ${params.allowedValues.join(', ')}${got}`;
  }
  if (error.keyword === 'format' && typeof params.format === 'string') {
    const hint = params.format === 'date-time' ? ' (RFC 3339, e.g. 2024-01-31T00:00:00.000Z)' : '';
    return `${subject(location, rest)} must be a ${params.format} string${hint}${got}`;
  }
  return `${subject(location, rest)} ${error.message ?? 'is invalid'}${got}`;
}

export class SpecValidator {
  constructor(
    private readonly worker: ValidationWorker,
    private readonly api: SandboxApi,
  ) {}

  private get summary(): ApiSummary {
    return this.worker.summaries[this.api];
  }

  /** The security schemes the spec declares (dereferenced). */
  get securitySchemes(): Record<string, unknown> {
    return this.summary.securitySchemes;
  }

  async validate(request: IncomingRequest): Promise<ValidationOutcome> {
    const body = decodeBody(request);
    const check = await this.worker.checkRequest(this.api, {
      method: request.method,
      path: request.rawPath,
      query: request.rawQuery,
      headers: request.headers,
      body: body.forValidator,
    });
    if (check.match === 'none') return { kind: 'no-route' };
    if (check.match === 'method') return { kind: 'method-not-allowed', allowed: check.allowed };
    const { operationId } = check;
    const operation = this.summary.operations[operationId];
    if (!operation) throw new Error(`the worker routed to an unknown operation ${operationId}`);
    const reject = (status: 400 | 415, reasons: string[]): ValidationOutcome => ({
      kind: 'rejected',
      operationId,
      status,
      reasons,
    });

    const problem = bodyProblem(body, operation);
    if (problem) return reject(problem.status, [problem.reason]);
    if (check.uriError) return reject(400, ['the path is not valid percent-encoding']);
    const reasons = [
      ...headerDependencyReasons(request.headers, operation),
      ...check.errors.map((error) => describeError(error, operation)),
    ];
    if (reasons.length > 0) return reject(400, [...new Set(reasons)]);
    return {
      kind: 'valid',
      operation,
      operationId,
      params: check.params,
      query: check.query,
      cookies: check.cookies,
      body: body.value,
    };
  }

  /** Checks a response the sandbox is about to send against the spec; returns what is wrong. */
  async responseProblems(operationId: string, status: number, body: unknown): Promise<string[]> {
    const errors = await this.worker.checkResponse(this.api, operationId, status, body);
    return errors.map((e) => `${e.instancePath || 'response'} ${e.message ?? 'is invalid'}`);
  }
}
