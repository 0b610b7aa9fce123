/**
 * The Edge Impulse API of the sandbox, mounted under `/v1`:
 * `POST /api/{projectId}/raw-data/batch/clear-metadata-by-key`,
 * `POST /api/{projectId}/raw-data/batch/add-metadata`, `GET /api/{projectId}/raw-data/count`,
 * `GET /api/{projectId}/raw-data` and `GET /api/{projectId}/jobs/{jobId}/status`. Errors are
 * `GenericApiResponse`s with `success: false` and an `error` sentence.
 *
 * Readings the vendor's text leaves open, chosen here: listSamples without `limit` answers every
 * matching sample from `offset` on, and its `totalCount` counts every sample the query's filters
 * match (`minId`/`maxId` included), over all pages; a test may cap the page size
 * (EdgeImpulseState.capListLimit: the project's own setting, not the vendor's); `sortBy` defaults
 * to `id-desc` (as the vendor says), and `random` shuffles. An add request, like a clear, whose filters select more than `jobThreshold`
 * samples starts a job that sets the value when it finishes. The vendor's document of count, list
 * and add has no `validation` category (the clear's docs page has one): those three operations
 * never select a sample of the `validation` category, even with `category=all`.
 */
import type { components } from '../../generated/edge-impulse/schema.js';
import { type ApiHandler, createApiHandler, type OperationHandler, type ValidRequest } from './api-handler.js';
import { findCredential, securityRequirements } from './auth.js';
import type { EdgeImpulseState, Sample } from './edge-impulse-state.js';
import { type ClearMetadataQuery, type SamplePredicate, sampleFilter } from './filters.js';
import { json, type OutgoingResponse } from './http-exchange.js';
import { QueryParameterError } from './json-query-parameters.js';
import { sampleAnswer } from './sample-answer.js';
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

  /** The samples of the request's project that its filters match (all the batch and read operations share them). */
  function matching(request: ValidRequest, withValidation = false): Readonly<Sample>[] | OutgoingResponse {
    const projectId = request.params.projectId as number;
    let matches: SamplePredicate;
    try {
      // The read operations' queries are the clear's without ids/excludeIds (and their own paging).
      matches = sampleFilter(request.query as ClearMetadataQuery);
    } catch (error) {
      if (error instanceof QueryParameterError) return json(400, failure(error.message));
      throw error;
    }
    if (!state.hasProject(projectId)) return unknownProject(projectId);
    return state.liveSamples(projectId).filter((s) => matches(s) && (withValidation || s.category !== 'validation'));
  }

  const countSamples: OperationHandler = (request) => {
    const samples = matching(request);
    if (!Array.isArray(samples)) return samples;
    const answer: Schemas['CountSamplesResponse'] = { success: true, count: samples.length };
    return json(200, answer);
  };

  const listSamples: OperationHandler = (request) => {
    const projectId = request.params.projectId as number;
    const samples = matching(request);
    if (!Array.isArray(samples)) return samples;
    const query = request.query as { limit?: number; offset?: number; excludeSensors?: boolean; sortBy?: string };
    const ordered =
      query.sortBy === 'random'
        ? samples
            .map((sample) => ({ sample, key: Math.random() }))
            .sort((a, b) => a.key - b.key)
            .map((entry) => entry.sample)
        : [...samples].sort((a, b) => b.id - a.id);
    const offset = Math.max(0, query.offset ?? 0);
    const limit = state.listLimit(query.limit);
    const page = ordered.slice(offset, limit === undefined ? undefined : offset + Math.max(0, limit));
    const answer: Schemas['ListSamplesResponse'] = {
      success: true,
      samples: page.map((sample) => sampleAnswer(projectId, sample, query.excludeSensors === true)),
      totalCount: samples.length,
    };
    return json(200, answer);
  };

  const batchAddMetadata: OperationHandler = (request) => {
    const projectId = request.params.projectId as number;
    const { metadataKey, metadataValue } = request.body as Schemas['BatchAddMetadataRequest'];
    const samples = matching(request);
    if (!Array.isArray(samples)) return samples;
    const matched = samples.map((sample) => sample.id);
    const change = { kind: 'add', metadataKey, value: metadataValue } as const;
    if (matched.length > options.jobThreshold) {
      const job = state.startJob(projectId, matched, change);
      state.recordAddOperation(projectId, { metadataKey, metadataValue, matchedSampleIds: matched, jobId: job.id });
      const started: Schemas['StartJobResponse'] = { success: true, id: job.id };
      return json(200, started);
    }
    state.recordAddOperation(projectId, { metadataKey, metadataValue, matchedSampleIds: matched });
    state.applyChange(projectId, matched, change);
    const done: Schemas['GenericApiResponse'] = { success: true };
    return json(200, done);
  };

  const batchClearMetadataByKey: OperationHandler = (request) => {
    const projectId = request.params.projectId as number;
    const { metadataKey } = request.body as Schemas['BatchClearMetadataByKeyRequest'];
    const samples = matching(request, true);
    if (!Array.isArray(samples)) return samples;
    const matched = samples.map((sample) => sample.id);
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
    operations: { batchClearMetadataByKey, batchAddMetadata, countSamples, listSamples, getJobStatus },
  });
}
