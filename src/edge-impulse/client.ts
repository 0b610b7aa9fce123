/**
 * createEdgeImpulseClient: clearing a metadata key on many samples and following its job, and
 * counting, listing and setting sample metadata (for a preview, a backup and a restore), over
 * the generated client.
 */
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
import { allOf } from '../core/enum.js';
import { ValidationError } from '../core/errors.js';
import { answerError, type FetchOutcome, send } from '../core/http.js';
import {
  describe,
  rejectUnknownKeys,
  requireBoolean,
  requireInteger,
  requireObject,
  requireOneOf,
  requireText,
} from '../core/validate.js';
import {
  CATEGORIES,
  type RawDataCategory,
  type ReadFilter,
  SAMPLE_CATEGORIES,
  type SampleCategory,
  type SampleFilter,
  serializeFilter,
  serializeReadFilter,
} from './filters.js';
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
type AddAnswer = operations['batchAddMetadata']['responses'][200]['content']['application/json'];
type JobAnswer = operations['getJobStatus']['responses'][200]['content']['application/json'];
type CountAnswer = operations['countSamples']['responses'][200]['content']['application/json'];
type ListAnswer = operations['listSamples']['responses'][200]['content']['application/json'];
type ListQuery = operations['listSamples']['parameters']['query'];

/** A sample as listSamples answers it; `metadata` holds its metadata keys and values. */
export type Sample = components['schemas']['Sample'];

export interface ClearMetadataByKeyInput extends CallOptions {
  projectId: number;
  category: RawDataCategory;
  metadataKey: components['schemas']['BatchClearMetadataByKeyRequest']['metadataKey'];
  /** Which samples to clear the key on; every filter given must match. */
  filter?: SampleFilter;
}

/** Done at once, or continued as a job to follow with `waitForJob`. */
export type ClearMetadataResult = { status: 'done' } | { status: 'job'; jobId: number };
/** The same for batchAddMetadata. */
export type AddMetadataResult = ClearMetadataResult;

export interface CountSamplesInput extends CallOptions {
  projectId: number;
  category: SampleCategory;
  /** Which samples to count; every filter given must match (there is no `ids`/`excludeIds` here). */
  filter?: ReadFilter;
}

export interface ListSamplesInput extends CountSamplesInput {
  /** Samples per page (the server's default when left out). */
  limit?: NonNullable<ListQuery['limit']>;
  /** Samples to skip: pages by offset (no cursor, so samples added meanwhile can shift a page). */
  offset?: NonNullable<ListQuery['offset']>;
  /** Leave out each sample's sensors (smaller pages). */
  excludeSensors?: NonNullable<ListQuery['excludeSensors']>;
  /** `id-desc` (the server's default) or `random`. */
  sortBy?: NonNullable<ListQuery['sortBy']>;
  truncateStructuredLabels?: NonNullable<ListQuery['truncateStructuredLabels']>;
  proposedActionsJobId?: NonNullable<ListQuery['proposedActionsJobId']>;
}

export interface SamplePage {
  samples: Sample[];
  /** The server's count of every sample the filter matches, over all pages. */
  totalCount: number;
}

export interface AddMetadataInput extends CallOptions {
  projectId: number;
  category: SampleCategory;
  metadataKey: components['schemas']['BatchAddMetadataRequest']['metadataKey'];
  /** The value set on every selected sample (any string, the empty one included). */
  metadataValue: components['schemas']['BatchAddMetadataRequest']['metadataValue'];
  /** Which samples to set it on; `ids` selects them one by one. */
  filter?: SampleFilter;
}

export interface JobRef extends CallOptions {
  projectId: number;
  jobId: number;
}

export interface EdgeImpulseClient {
  clearMetadataByKey(input: ClearMetadataByKeyInput): Promise<ClearMetadataResult>;
  /** The server's count of the samples of a category that match the filter (countSamples). */
  countSamples(input: CountSamplesInput): Promise<number>;
  /** One page of the samples that match the filter, with their metadata (listSamples). */
  listSamples(input: ListSamplesInput): Promise<SamplePage>;
  /** Sets one metadata key to one value on the samples the filter selects (batchAddMetadata). */
  addMetadata(input: AddMetadataInput): Promise<AddMetadataResult>;
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
 * docs/library.md, "What is retried"). An operation not listed follows its method: POST goes out once.
 */
const SAFE_TO_RETRY: RetrySafety<operations> = {
  batchClearMetadataByKey:
    'clearing a key leaves the matching samples without it however often it runs; a repeated request may start a second job, which clears nothing new',
  batchAddMetadata:
    'setting a key to one value leaves the matching samples with that value however often it runs; a repeated request may start a second job, which sets nothing new',
};
const LIST_KEYS = [
  'limit',
  'offset',
  'excludeSensors',
  'sortBy',
  'truncateStructuredLabels',
  'proposedActionsJobId',
] as const satisfies readonly (keyof ListSamplesInput)[];
const SORT_ORDERS = allOf<NonNullable<ListQuery['sortBy']>>()(['id-desc', 'random']);

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

  /**
   * Sends one call of the generated client, then checks the answer reports success and, when given,
   * that `problem` finds nothing wrong with its data.
   */
  async function call<T>(
    operationId: keyof operations & string,
    input: CallOptions,
    request: (settings: ReturnType<typeof init> & { signal?: AbortSignal }) => Promise<FetchOutcome>,
    problem?: (data: T) => string | undefined,
  ): Promise<T> {
    const settings = init(input, operationId);
    const { data, response } = await send<T>(
      operationId,
      (signal) => request({ ...settings, ...(signal ? { signal } : {}) }),
      { signal: input.signal, secrets },
    );
    requireSuccess(operationId, data, response, secrets);
    const wrong = problem?.(data);
    if (wrong !== undefined) throw answerError(operationId, response, data, secrets, (_what, clean) => clean(wrong));
    return data;
  }

  /** A batch answer: done at once, or a started job. */
  const batchResult = (data: ClearAnswer | AddAnswer): ClearMetadataResult =>
    'id' in data && typeof data.id === 'number' ? { status: 'job', jobId: data.id } : { status: 'done' };

  function readQuery(input: CountSamplesInput, operationId: string) {
    return {
      projectId: requireInteger('projectId', input.projectId, 1),
      query: {
        category: requireOneOf('category', input.category, SAMPLE_CATEGORIES),
        ...serializeReadFilter('filter', input.filter, operationId),
      },
    };
  }

  async function getJobStatus(input: JobRef): Promise<Job> {
    rejectUnknownKeys('input', requireObject('input', input), ['projectId', 'jobId', ...CALL_KEYS]);
    const projectId = requireInteger('projectId', input.projectId, 1);
    const jobId = requireInteger('jobId', input.jobId, 0);
    const data = await call<JobAnswer>('getJobStatus', input, (settings) =>
      raw.GET('/api/{projectId}/jobs/{jobId}/status', { params: { path: { projectId, jobId } }, ...settings }),
    );
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
      const data = await call<ClearAnswer>('batchClearMetadataByKey', input, (settings) =>
        raw.POST('/api/{projectId}/raw-data/batch/clear-metadata-by-key', {
          params: { path: { projectId }, query: { category, ...filter } },
          body: { metadataKey },
          ...settings,
        }),
      );
      return batchResult(data);
    },

    async countSamples(input) {
      rejectUnknownKeys('input', requireObject('input', input), ['projectId', 'category', 'filter', ...CALL_KEYS]);
      const { projectId, query } = readQuery(input, 'countSamples');
      const data = await call<CountAnswer>('countSamples', input, (settings) =>
        raw.GET('/api/{projectId}/raw-data/count', { params: { path: { projectId }, query }, ...settings }),
      );
      return requireInteger("the answer's count", data.count, 0);
    },

    async listSamples(input) {
      rejectUnknownKeys('input', requireObject('input', input), [
        'projectId',
        'category',
        'filter',
        ...LIST_KEYS,
        ...CALL_KEYS,
      ]);
      const { projectId, query } = readQuery(input, 'listSamples');
      const paging: Record<string, unknown> = {};
      if (input.limit !== undefined) paging.limit = requireInteger('limit', input.limit, 1);
      if (input.offset !== undefined) paging.offset = requireInteger('offset', input.offset, 0);
      if (input.excludeSensors !== undefined)
        paging.excludeSensors = requireBoolean('excludeSensors', input.excludeSensors);
      if (input.sortBy !== undefined) paging.sortBy = requireOneOf('sortBy', input.sortBy, SORT_ORDERS);
      if (input.truncateStructuredLabels !== undefined) {
        paging.truncateStructuredLabels = requireBoolean('truncateStructuredLabels', input.truncateStructuredLabels);
      }
      if (input.proposedActionsJobId !== undefined) {
        paging.proposedActionsJobId = requireInteger('proposedActionsJobId', input.proposedActionsJobId, 0);
      }
      const data = await call<ListAnswer>(
        'listSamples',
        input,
        (settings) =>
          raw.GET('/api/{projectId}/raw-data', {
            params: { path: { projectId }, query: { ...query, ...(paging as Partial<ListQuery>) } },
            ...settings,
          }),
        (answer) =>
          Array.isArray(answer.samples)
            ? undefined
            : `the answer's samples is ${describe(answer.samples)}; expected an array`,
      );
      return { samples: data.samples, totalCount: data.totalCount };
    },

    async addMetadata(input) {
      rejectUnknownKeys('input', requireObject('input', input), [
        'projectId',
        'category',
        'metadataKey',
        'metadataValue',
        'filter',
        ...CALL_KEYS,
      ]);
      const projectId = requireInteger('projectId', input.projectId, 1);
      const category = requireOneOf('category', input.category, SAMPLE_CATEGORIES);
      const metadataKey = requireText('metadataKey', input.metadataKey);
      if (typeof input.metadataValue !== 'string') {
        throw new ValidationError('metadataValue', 'a string', `got ${describe(input.metadataValue)}`);
      }
      const metadataValue = input.metadataValue;
      const filter = serializeFilter('filter', input.filter);
      const data = await call<AddAnswer>('batchAddMetadata', input, (settings) =>
        raw.POST('/api/{projectId}/raw-data/batch/add-metadata', {
          params: { path: { projectId }, query: { category, ...filter } },
          body: { metadataKey, metadataValue },
          ...settings,
        }),
      );
      return batchResult(data);
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
