/** createEdgeImpulseClient: the clear-metadata-by-key operation and its job, over the generated client. */
import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../../generated/edge-impulse/schema.js';
import { authHeaders, type OneOf } from '../core/auth.js';
import { requireBaseUrl } from '../core/base-url.js';
import {
  CALL_KEYS,
  type CallOptions,
  COMMON_KEYS,
  type CommonClientOptions,
  createClientCore,
  type RetrySafety,
} from '../core/client.js';
import { answerError, send } from '../core/http.js';
import { rejectUnknownKeys, requireInteger, requireObject, requireOneOf, requireText } from '../core/validate.js';
import { CATEGORIES, type RawDataCategory, type SampleFilter, serializeFilter } from './filters.js';
import { type Job, type PollOptions, pollJob } from './jobs.js';

/** The server of the Edge Impulse spec (checked against generated/edge-impulse/openapi.json by a test). */
export const EDGE_IMPULSE_BASE_URL = 'https://studio.edgeimpulse.com/v1';

/** One of the API's credentials: an API key (`x-api-key`), a JWT (`x-jwt-token`) or an OAuth2 bearer token. */
export type EdgeImpulseAuth = OneOf<[{ apiKey: string }, { jwtToken: string }, { bearerToken: string }]>;

export interface EdgeImpulseClientOptions extends CommonClientOptions {
  auth: EdgeImpulseAuth;
  /** Default: the spec's server, https://studio.edgeimpulse.com/v1. */
  baseUrl?: string;
}

type ClearAnswer = operations['batchClearMetadataByKey']['responses'][200]['content']['application/json'];
type JobAnswer = operations['getJobStatus']['responses'][200]['content']['application/json'];

export interface ClearMetadataByKeyInput extends CallOptions {
  projectId: number;
  category: RawDataCategory;
  metadataKey: components['schemas']['BatchClearMetadataByKeyRequest']['metadataKey'];
  /** Which samples to clear the key on; every filter given must match. */
  filter?: SampleFilter;
}

/** Done at once, or continued as a job to follow with `waitForJob`. */
export type ClearMetadataResult = { status: 'done' } | { status: 'job'; jobId: number };

export interface JobRef extends CallOptions {
  projectId: number;
  jobId: number;
}

export interface EdgeImpulseClient {
  clearMetadataByKey(input: ClearMetadataByKeyInput): Promise<ClearMetadataResult>;
  getJobStatus(input: JobRef): Promise<Job>;
  /** Polls the job until it ends; every poll uses the client's retry policy. */
  waitForJob(input: Omit<JobRef, 'timeoutMs'> & PollOptions): Promise<Job>;
  /** The generated openapi-fetch client, authenticated, for everything the facade does not cover. */
  readonly raw: Client<paths>;
  /** Refuses new calls, waits for the requests in flight, then closes the client's connections. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * The operations retried whatever their HTTP method, with the reason it is safe (core/client.ts;
 * README, "What is retried"). An operation not listed follows its method: POST goes out once.
 */
const SAFE_TO_RETRY: RetrySafety<operations> = {
  batchClearMetadataByKey:
    'clearing a key leaves the matching samples without it however often it runs; a repeated request may start a second job, which clears nothing new',
};

const AUTH_SHAPES = [
  { keys: ['apiKey'], headers: (v: Record<string, string>) => ({ 'x-api-key': v.apiKey as string }) },
  { keys: ['jwtToken'], headers: (v: Record<string, string>) => ({ 'x-jwt-token': v.jwtToken as string }) },
  { keys: ['bearerToken'], headers: (v: Record<string, string>) => ({ Authorization: `Bearer ${v.bearerToken}` }) },
] as const;

/** The API reports failure as `success: false` with an `error`, whatever the HTTP status. */
function requireSuccess(operationId: string, body: unknown, response: Response, secrets: readonly string[]): void {
  if ((body as { success?: unknown } | undefined)?.success === true) return;
  throw answerError(operationId, response, body, secrets, (what) => what ?? 'the answer does not report success');
}

export function createEdgeImpulseClient(options: EdgeImpulseClientOptions): EdgeImpulseClient {
  const opts = requireObject('options', options);
  rejectUnknownKeys('options', opts, ['auth', 'baseUrl', ...COMMON_KEYS]);
  const baseUrl = opts.baseUrl === undefined ? EDGE_IMPULSE_BASE_URL : requireBaseUrl('options.baseUrl', opts.baseUrl);
  const { raw, init, secrets, close } = createClientCore<paths, operations>(
    baseUrl,
    authHeaders('options.auth', opts.auth, AUTH_SHAPES),
    options,
    SAFE_TO_RETRY,
  );

  async function getJobStatus(input: JobRef): Promise<Job> {
    rejectUnknownKeys('input', requireObject('input', input), ['projectId', 'jobId', ...CALL_KEYS]);
    const projectId = requireInteger('projectId', input.projectId, 1);
    const jobId = requireInteger('jobId', input.jobId, 0);
    const call = init(input, 'getJobStatus');
    const { data, response } = await send<JobAnswer>(
      'getJobStatus',
      (signal) =>
        raw.GET('/api/{projectId}/jobs/{jobId}/status', {
          params: { path: { projectId, jobId } },
          ...call,
          ...(signal ? { signal } : {}),
        }),
      { signal: input.signal, secrets },
    );
    requireSuccess('getJobStatus', data, response, secrets);
    return data.job;
  }

  return {
    raw,
    close,
    [Symbol.asyncDispose]: close,

    async clearMetadataByKey(input) {
      const given = requireObject('input', input);
      rejectUnknownKeys('input', given, ['projectId', 'category', 'metadataKey', 'filter', ...CALL_KEYS]);
      const projectId = requireInteger('projectId', input.projectId, 1);
      const category = requireOneOf('category', input.category, CATEGORIES);
      const metadataKey = requireText('metadataKey', input.metadataKey);
      const filter = serializeFilter('filter', input.filter);
      const call = init(input, 'batchClearMetadataByKey');
      const { data, response } = await send<ClearAnswer>(
        'batchClearMetadataByKey',
        (signal) =>
          raw.POST('/api/{projectId}/raw-data/batch/clear-metadata-by-key', {
            params: { path: { projectId }, query: { category, ...filter } },
            body: { metadataKey },
            ...call,
            ...(signal ? { signal } : {}),
          }),
        { signal: input.signal, secrets },
      );
      requireSuccess('batchClearMetadataByKey', data, response, secrets);
      return 'id' in data && typeof data.id === 'number' ? { status: 'job', jobId: data.id } : { status: 'done' };
    },

    getJobStatus,

    async waitForJob(input) {
      const given = requireObject('input', input);
      rejectUnknownKeys('input', given, [
        'projectId',
        'jobId',
        'signal',
        'retry',
        'timeoutMs',
        'onProgress',
        'pollIntervalMs',
        'maxPollIntervalMs',
      ]);
      const projectId = requireInteger('projectId', input.projectId, 1);
      const jobId = requireInteger('jobId', input.jobId, 0);
      for (const key of ['timeoutMs', 'pollIntervalMs', 'maxPollIntervalMs'] as const) {
        if (input[key] !== undefined) requireInteger(key, input[key], 1);
      }
      const retry = input.retry;
      return pollJob(
        jobId,
        (signal) => getJobStatus({ projectId, jobId, signal, ...(retry !== undefined ? { retry } : {}) }),
        input,
      );
    },
  };
}
