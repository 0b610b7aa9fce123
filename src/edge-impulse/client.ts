/** createEdgeImpulseClient: the clear-metadata-by-key operation and its job, over the generated client. */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../generated/edge-impulse/schema.js';
import { authHeaders, type OneOf } from '../core/auth.js';
import { requireBaseUrl } from '../core/base-url.js';
import { ApiError } from '../core/errors.js';
import { requireHeaders } from '../core/headers.js';
import { send } from '../core/http.js';
import { rejectUnknownKeys, requireInteger, requireObject, requireOneOf, requireText } from '../core/validate.js';
import { CATEGORIES, type RawDataCategory, type SampleFilter, serializeFilter } from './filters.js';
import { type Job, type PollOptions, pollJob } from './jobs.js';

/** The server of the Edge Impulse spec (checked against generated/edge-impulse/openapi.json by a test). */
export const EDGE_IMPULSE_BASE_URL = 'https://studio.edgeimpulse.com/v1';

/** One of the API's credentials: an API key (`x-api-key`), a JWT (`x-jwt-token`) or an OAuth2 bearer token. */
export type EdgeImpulseAuth = OneOf<[{ apiKey: string }, { jwtToken: string }, { bearerToken: string }]>;

export interface EdgeImpulseClientOptions {
  auth: EdgeImpulseAuth;
  /** Default: the spec's server, https://studio.edgeimpulse.com/v1. */
  baseUrl?: string;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** openapi-fetch middleware, applied to every request, the facade's included. */
  middleware?: Middleware[];
}

export interface ClearMetadataByKeyInput {
  projectId: number;
  category: RawDataCategory;
  metadataKey: components['schemas']['BatchClearMetadataByKeyRequest']['metadataKey'];
  /** Which samples to clear the key on; every filter given must match. */
  filter?: SampleFilter;
  signal?: AbortSignal;
}

/** Done at once, or continued as a job to follow with `waitForJob`. */
export type ClearMetadataResult = { status: 'done' } | { status: 'job'; jobId: number };

export interface JobRef {
  projectId: number;
  jobId: number;
  signal?: AbortSignal;
}

export interface EdgeImpulseClient {
  clearMetadataByKey(input: ClearMetadataByKeyInput): Promise<ClearMetadataResult>;
  getJobStatus(input: JobRef): Promise<Job>;
  waitForJob(input: JobRef & PollOptions): Promise<Job>;
  /** The generated openapi-fetch client, authenticated, for everything the facade does not cover. */
  readonly raw: Client<paths>;
}

const AUTH_SHAPES = [
  { keys: ['apiKey'], headers: (v: Record<string, string>) => ({ 'x-api-key': v.apiKey as string }) },
  { keys: ['jwtToken'], headers: (v: Record<string, string>) => ({ 'x-jwt-token': v.jwtToken as string }) },
  { keys: ['bearerToken'], headers: (v: Record<string, string>) => ({ Authorization: `Bearer ${v.bearerToken}` }) },
] as const;

/** The API reports failure as `success: false` with an `error`, whatever the HTTP status. */
function requireSuccess(operationId: string, body: unknown, response: Response): void {
  const record = body as { success?: unknown; error?: unknown } | undefined;
  if (record?.success === true) return;
  const why = typeof record?.error === 'string' && record.error ? record.error : 'the answer does not report success';
  throw new ApiError(why, { operationId, status: response.status, body });
}

export function createEdgeImpulseClient(options: EdgeImpulseClientOptions): EdgeImpulseClient {
  const opts = requireObject('options', options);
  rejectUnknownKeys('options', opts, ['auth', 'baseUrl', 'fetch', 'headers', 'middleware']);
  const baseUrl = opts.baseUrl === undefined ? EDGE_IMPULSE_BASE_URL : requireBaseUrl('options.baseUrl', opts.baseUrl);
  const headers = {
    ...requireHeaders('options.headers', opts.headers),
    ...authHeaders('options.auth', opts.auth, AUTH_SHAPES),
  };
  const raw = createClient<paths>({ baseUrl, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  for (const middleware of options.middleware ?? []) raw.use(middleware);

  async function getJobStatus(input: JobRef): Promise<Job> {
    requireObject('input', input);
    const projectId = requireInteger('projectId', input.projectId, 1);
    const jobId = requireInteger('jobId', input.jobId, 0);
    const { data, response } = await send('getJobStatus', () =>
      raw.GET('/api/{projectId}/jobs/{jobId}/status', {
        params: { path: { projectId, jobId } },
        ...(input.signal ? { signal: input.signal } : {}),
      }),
    );
    requireSuccess('getJobStatus', data, response);
    return (data as { job: Job }).job;
  }

  return {
    raw,

    async clearMetadataByKey(input) {
      const given = requireObject('input', input);
      rejectUnknownKeys('input', given, ['projectId', 'category', 'metadataKey', 'filter', 'signal']);
      const projectId = requireInteger('projectId', input.projectId, 1);
      const category = requireOneOf('category', input.category, CATEGORIES);
      const metadataKey = requireText('metadataKey', input.metadataKey);
      const filter = serializeFilter('filter', input.filter);
      const { data, response } = await send('batchClearMetadataByKey', () =>
        raw.POST('/api/{projectId}/raw-data/batch/clear-metadata-by-key', {
          params: { path: { projectId }, query: { category, ...filter } },
          body: { metadataKey },
          ...(input.signal ? { signal: input.signal } : {}),
        }),
      );
      requireSuccess('batchClearMetadataByKey', data, response);
      const id = (data as { id?: unknown }).id;
      return typeof id === 'number' ? { status: 'job', jobId: id } : { status: 'done' };
    },

    getJobStatus,

    async waitForJob(input) {
      requireObject('input', input);
      const projectId = requireInteger('projectId', input.projectId, 1);
      const jobId = requireInteger('jobId', input.jobId, 0);
      if (input.timeoutMs !== undefined) requireInteger('timeoutMs', input.timeoutMs, 1);
      return pollJob(jobId, (signal) => getJobStatus({ projectId, jobId, signal }), input);
    },
  };
}
