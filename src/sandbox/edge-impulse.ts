/**
 * The Edge Impulse API of the sandbox, mounted under `/v1`:
 * `POST /api/{projectId}/raw-data/batch/clear-metadata-by-key` and
 * `GET /api/{projectId}/jobs/{jobId}/status`. Errors are `GenericApiResponse`s with
 * `success: false` and an `error` sentence.
 */
import type { components } from '../../generated/edge-impulse/schema.js';
import { type ApiHandler, createApiHandler, type OperationHandler } from './api-handler.js';
import { findCredential, securityRequirements } from './auth.js';
import type { EdgeImpulseState } from './edge-impulse-state.js';
import { type ClearMetadataQuery, sampleFilter } from './filters.js';
import { json } from './http-exchange.js';
import { QueryParameterError } from './json-query-parameters.js';
import type { SpecValidator } from './validation.js';

type Schemas = components['schemas'];

export const EDGE_IMPULSE_BASE_PATH = '/v1';

export interface EdgeImpulseApiOptions {
  /** Matching samples above which the request starts a job instead of clearing at once. */
  jobThreshold: number;
}

const failure = (error: string): Schemas['GenericApiResponse'] => ({ success: false, error });

export function createEdgeImpulseApi(
  state: EdgeImpulseState,
  validator: SpecValidator,
  options: EdgeImpulseApiOptions,
): ApiHandler {
  const unknownProject = (projectId: number) => json(404, failure(`Project ${projectId} not found`));

  const batchClearMetadataByKey: OperationHandler = (request) => {
    const projectId = request.params.projectId as number;
    const query = request.query as ClearMetadataQuery;
    const { metadataKey } = request.body as Schemas['BatchClearMetadataByKeyRequest'];
    let matches: ReturnType<typeof sampleFilter>;
    try {
      matches = sampleFilter(query);
    } catch (error) {
      if (error instanceof QueryParameterError) return json(400, failure(error.message));
      throw error;
    }
    if (!state.hasProject(projectId)) return unknownProject(projectId);
    const matched = state
      .liveSamples(projectId)
      .filter(matches)
      .map((sample) => sample.id);
    if (matched.length > options.jobThreshold) {
      const job = state.startClearJob(projectId, matched, metadataKey);
      state.recordClearOperation(projectId, { metadataKey, matchedSampleIds: matched, jobId: job.id });
      const started: Schemas['StartJobResponse'] = { success: true, id: job.id };
      return json(200, started);
    }
    state.recordClearOperation(projectId, { metadataKey, matchedSampleIds: matched });
    state.clearMetadataKey(projectId, matched, metadataKey);
    const done: Schemas['GenericApiResponse'] = { success: true };
    return json(200, done);
  };

  const getJobStatus: OperationHandler = (request) => {
    const projectId = request.params.projectId as number;
    const jobId = request.params.jobId as number;
    if (!state.hasProject(projectId)) return unknownProject(projectId);
    const job = state.pollJob(projectId, jobId);
    if (!job) return json(404, failure(`Job ${jobId} not found in project ${projectId}`));
    const status: Schemas['GetJobResponse'] = { success: true, job };
    return json(200, status);
  };

  return createApiHandler({
    api: 'edge-impulse',
    basePath: EDGE_IMPULSE_BASE_PATH,
    validator,
    errorBody: (_status, message) => failure(message),
    authenticate(request, incoming) {
      const credential = findCredential(validator.securitySchemes, securityRequirements(request.operation), {
        headers: incoming.headers,
        cookies: request.cookies,
        query: request.query,
      });
      return (
        credential ??
        json(
          401,
          failure('Not authenticated: send an x-api-key or x-jwt-token header, a jwt cookie, or Authorization: Bearer'),
        )
      );
    },
    operations: { batchClearMetadataByKey, getJobStatus },
  });
}
