/**
 * One API served by the sandbox, as a pipeline every request goes through:
 * route (404/405) → validate against the spec (400/415) → authenticate (401) → the operation →
 * check a successful JSON answer against the spec's response schema (500 if the sandbox is wrong).
 * Validation comes before authentication so that a malformed credential header (an appLinkID
 * without its accessToken) is reported as the 400 the spec asks for.
 */
import { type IncomingRequest, json, type OutgoingResponse } from './http-exchange.js';
import type { Credential, RecordedRequest, SandboxApi } from './recorded-request.js';
import type { SpecValidator, ValidationOutcome } from './validation.js';

export type ValidRequest = Extract<ValidationOutcome, { kind: 'valid' }>;

export type OperationHandler = (
  request: ValidRequest,
  credential: Credential,
  incoming: IncomingRequest,
) => OutgoingResponse;

export interface ApiDefinition {
  api: SandboxApi;
  /** Where the API is mounted, e.g. `/v1`. */
  basePath: string;
  validator: SpecValidator;
  /** The API's error body for a status and a sentence saying what was wrong. */
  errorBody(status: number, message: string): unknown;
  /** The credential of the request, or the response that refuses it. */
  authenticate(request: ValidRequest, incoming: IncomingRequest): Credential | OutgoingResponse;
  /** Handlers by operationId. */
  operations: Record<string, OperationHandler>;
}

export interface ApiHandler {
  api: SandboxApi;
  basePath: string;
  /** True when the raw path lies under this API's base path (on a segment boundary). */
  serves(rawPath: string): boolean;
  handle(incoming: IncomingRequest, record: RecordedRequest): Promise<OutgoingResponse>;
}

export function createApiHandler(definition: ApiDefinition): ApiHandler {
  const { basePath, validator, errorBody } = definition;
  const fail = (status: number, message: string, headers?: Record<string, string>): OutgoingResponse =>
    json(status, errorBody(status, message), headers);

  return {
    api: definition.api,
    basePath,
    serves: (rawPath) => rawPath === basePath || rawPath.startsWith(`${basePath}/`),
    async handle(incoming, record) {
      record.api = definition.api;
      const outcome = await validator.validate(incoming);
      switch (outcome.kind) {
        case 'no-route':
          return fail(404, `no ${definition.api} operation at ${incoming.method} ${incoming.rawPath}`);
        case 'method-not-allowed':
          return fail(
            405,
            `${incoming.method} is not allowed on ${incoming.rawPath}; use ${outcome.allowed.join(', ')}`,
            {
              allow: outcome.allowed.join(', '),
            },
          );
        case 'rejected':
          record.operationId = outcome.operationId;
          return fail(outcome.status, outcome.reasons.join('; '));
      }
      record.operationId = outcome.operationId;
      const handler = definition.operations[outcome.operationId];
      if (!handler) return fail(501, `the sandbox does not implement ${outcome.operationId}`);
      const authenticated = definition.authenticate(outcome, incoming);
      if ('status' in authenticated) return authenticated;
      record.credential = authenticated;

      const response = handler(outcome, authenticated, incoming);
      if (response.status >= 200 && response.status < 300 && response.contentType === undefined) {
        const problems = await validator.responseProblems(outcome.operationId, response.status, response.body);
        if (problems.length > 0) {
          return fail(500, `sandbox bug: its ${outcome.operationId} response breaks the spec: ${problems.join('; ')}`);
        }
      }
      return response;
    },
  };
}
