/**
 * createOracleDocumentsClient: reset values of metadata fields on files, one or many; read the
 * values of a file (its own, or with those it inherits) and assign values again; refresh an
 * applink's access token.
 */
import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../../generated/oracle-documents/schema.js';
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
import { ApiError, ValidationError } from '../core/errors.js';
import { answerError, type FetchOutcome, send } from '../core/http.js';
import {
  describe,
  rejectUnknownKeys,
  requireArray,
  requireBoolean,
  requireObject,
  requireText,
} from '../core/validate.js';
import { type ManyOptions, type ManyResult, type ManyStream, runMany, streamMany } from './many.js';

export type FileCollectionResponse = components['schemas']['FileCollectionResponse'];
/** The answer of Get File Metadata Collection: `metadata` holds collection → field → value. */
export type FileGetCollectionResponse = components['schemas']['FileGetCollectionResponse'];
type ApplinkTokenResponse = components['schemas']['ApplinkTokenResponse'];
type Body = components['schemas']['FileDeleteValuesBody'];

/** HTTP Basic (user name and password) or an OAuth bearer token. */
export type OracleDocumentsAuth = OneOf<[{ bearerToken: string }, { username: string; password: string }]>;

export interface OracleDocumentsClientOptions extends CommonClientOptions {
  /** The API root, e.g. https://tenant.example.com/documents/api/1.1 (https only; http for loopback). */
  baseUrl: string;
  /** May be left out when every call uses an applink. */
  auth?: OracleDocumentsAuth;
}

/** An applink: both its ID and its access token, always together. */
export interface AppLink {
  id: string;
  accessToken: string;
}

/** What an applink function is asked for. */
export interface AppLinkRequest {
  /** The file the request is for (for a refresh: the first file whose request found the token expired). */
  fileId: string;
  /**
   * Set when the server refused this applink's access token as invalid or expired (errorCode
   * -26): return the applink with a new access token (from Oracle's Applinks resource, say).
   */
  expired?: AppLink;
}

/**
 * Applink credentials supplied by the caller's code, sync or async: called for every request,
 * and once more per expired access token, however many requests found it expired.
 */
export type AppLinkSource = (request: AppLinkRequest) => AppLink | Promise<AppLink>;

export interface DeleteFileMetadataValuesInput extends CallOptions {
  /** The file's GUID. */
  fileId: string;
  /** The metadata collection, e.g. CollectionA or Personal.CollectionA. */
  collection: Body['collection'];
  /** The fields whose values are deleted. */
  fields: string[];
  /**
   * An applink, or a function returning the current one. With a function, a request refused with
   * errorCode -26 (the token is invalid or has expired) asks it for a new token and is sent once
   * more; the client's requests that found the same token expired share one such call, whichever
   * function each of them brought.
   */
  appLink?: AppLink | AppLinkSource;
}

export type DeleteManyItem = Omit<DeleteFileMetadataValuesInput, keyof CallOptions>;

export interface GetFileMetadataCollectionInput extends CallOptions {
  /** The file's GUID. */
  fileId: string;
  /**
   * true (the default): only the values assigned to the file itself (`directAssigned=1`); false:
   * also those it inherits from its folders (`directAssigned=0`). Always sent.
   */
  directAssigned?: boolean;
  /** As for deleteFileMetadataValues. */
  appLink?: AppLink | AppLinkSource;
}

/** A value Oracle's examples show (strings); numbers and booleans are passed on as they are. */
export type FieldValue = string | number | boolean;

export interface AssignFileMetadataValuesInput extends CallOptions {
  /** The file's GUID. */
  fileId: string;
  /** The collection, already assigned to the file, e.g. CollectionA or Personal.CollectionA. */
  collection: string;
  /** Field name → value, at least one; sent as `{ "collection": …, "<field>": <value>, … }`. */
  values: Record<string, FieldValue>;
  /** As for deleteFileMetadataValues. */
  appLink?: AppLink | AppLinkSource;
}

export interface RefreshAppLinkTokenInput extends CallOptions {
  /** The applink and its access token (the expired one or the current one). */
  appLink: AppLink;
  /** The refresh token issued with the applink (valid for 24 hours, usable any number of times). */
  refreshToken: string;
}

export interface OracleDocumentsClient {
  deleteFileMetadataValues(input: DeleteFileMetadataValuesInput): Promise<FileCollectionResponse>;
  /** The values of a file's metadata fields, by collection (GET …/files/{fileId}/metadata). */
  getFileMetadataCollection(input: GetFileMetadataCollectionInput): Promise<FileGetCollectionResponse>;
  /** Sets values of fields of a collection assigned to the file (POST …/files/{fileId}/metadata). */
  assignFileMetadataValues(input: AssignFileMetadataValuesInput): Promise<FileCollectionResponse>;
  /** The applink with a new access token, for its refresh token (PUT …/applinks/token). */
  refreshAppLinkToken(input: RefreshAppLinkTokenInput): Promise<AppLink>;
  /**
   * The same call for many files, `concurrency` at a time, each result yielded as it finishes
   * (completion order, with its input index); memory stays O(concurrency) however long the input.
   * See streamMany for abort, back-pressure and leaving the loop early.
   */
  deleteFileMetadataValuesStream(
    items: Iterable<DeleteManyItem> | AsyncIterable<DeleteManyItem>,
    options?: ManyOptions,
  ): ManyStream<FileCollectionResponse>;
  /**
   * The stream collected into an array in input order, for inputs small enough to hold; never
   * rejects for one item's failure.
   */
  deleteFileMetadataValuesMany(
    items: Iterable<DeleteManyItem> | AsyncIterable<DeleteManyItem>,
    options?: ManyOptions,
  ): Promise<ManyResult<FileCollectionResponse>[]>;
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
  deleteFileMetadataValues: 'resetting the values of fields leaves them empty however often it runs',
  assignFileMetadataValues: 'assigning the same values to the same fields leaves the same values however often it runs',
};

const AUTH_SHAPES = [
  { keys: ['bearerToken'], headers: (v: Record<string, string>) => ({ Authorization: `Bearer ${v.bearerToken}` }) },
  {
    keys: ['username', 'password'],
    headers: (v: Record<string, string>) => ({
      Authorization: `Basic ${Buffer.from(`${v.username}:${v.password}`, 'utf8').toString('base64')}`,
    }),
  },
] as const;

function requireFileId(value: unknown): string {
  const fileId = requireText('fileId', value, 'a non-empty file GUID');
  // Sent as one encoded path segment; "." and ".." would still be resolved away by URL parsing.
  if (fileId === '.' || fileId === '..' || fileId.trim() !== fileId) {
    throw new ValidationError('fileId', 'a non-empty file GUID', `got ${JSON.stringify(fileId)}`);
  }
  return fileId;
}

function requireFieldName(field: string, value: unknown): string {
  const name = requireText(field, value, 'a field name');
  if (name.trim() !== name) {
    throw new ValidationError(
      field,
      'a field name without leading or trailing whitespace',
      `got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

function requireValues(value: unknown): Record<string, FieldValue> {
  const values = requireObject('values', value);
  const names = Object.keys(values);
  if (names.length === 0) throw new ValidationError('values', 'at least one field and its value', 'got none');
  for (const name of names) {
    requireFieldName(`values[${JSON.stringify(name)}]`, name);
    if (name === 'collection') {
      throw new ValidationError(
        'values["collection"]',
        'field names other than "collection"',
        'the body names the collection under that key',
      );
    }
    const v = values[name];
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new ValidationError(
        `values[${JSON.stringify(name)}]`,
        'a string, a finite number or a boolean',
        `got ${describe(v)}`,
      );
    }
  }
  return values as Record<string, FieldValue>;
}

function requireFields(value: unknown): string {
  const fields = requireArray('fields', value);
  if (fields.length === 0)
    throw new ValidationError('fields', 'a non-empty array of field names', 'got an empty array');
  return fields
    .map((field, i) => {
      const name = requireText(`fields[${i}]`, field, 'a field name without commas');
      if (name.includes(','))
        throw new ValidationError(`fields[${i}]`, 'a field name without commas', 'contains a comma');
      if (name.trim() !== name) {
        throw new ValidationError(
          `fields[${i}]`,
          'a field name without leading or trailing whitespace',
          `got ${JSON.stringify(name)}`,
        );
      }
      return name;
    })
    .join(',');
}

function requireAppLink(value: unknown, field = 'appLink'): AppLink {
  const link = requireObject(field, value);
  rejectUnknownKeys(field, link, ['id', 'accessToken']);
  return {
    id: requireText(`${field}.id`, link.id),
    accessToken: requireText(`${field}.accessToken`, link.accessToken),
  };
}

/** Oracle's errorCode reports success: 0, as its schema declares it, or "0", as its examples show it. */
export function isSuccessCode(errorCode: unknown): boolean {
  return errorCode === 0 || errorCode === '0';
}

/** errorCode -26: "the link is invalid or has expired" (Oracle's "Error Messages"). */
const LINK_EXPIRED = '-26';

function isExpiredLink(error: unknown): boolean {
  return error instanceof ApiError && String(error.vendorCode) === LINK_EXPIRED;
}

export function createOracleDocumentsClient(options: OracleDocumentsClientOptions): OracleDocumentsClient {
  const opts = requireObject('options', options);
  rejectUnknownKeys('options', opts, ['baseUrl', 'auth', ...COMMON_KEYS]);
  const baseUrl = requireBaseUrl('options.baseUrl', opts.baseUrl);
  const auth = opts.auth === undefined ? {} : authHeaders('options.auth', opts.auth, AUTH_SHAPES);
  const {
    raw,
    init,
    secrets: clientSecrets,
    close,
  } = createClientCore<paths, operations>(baseUrl, auth, options, SAFE_TO_RETRY);
  const hasAuth = opts.auth !== undefined;
  // Per expired applink (its id and access token): the one call that replaces it, shared by every
  // request that found that token expired, whichever function each request's item brought.
  const refreshes = new Map<string, Promise<AppLink>>();

  async function askSource(source: AppLinkSource, request: AppLinkRequest): Promise<AppLink> {
    return requireAppLink(await source(request), 'appLink()');
  }

  function refreshed(source: AppLinkSource, expired: AppLink, fileId: string): Promise<AppLink> {
    const key = `${expired.id}\u0000${expired.accessToken}`;
    let refresh = refreshes.get(key);
    if (!refresh) {
      refresh = askSource(source, { fileId, expired: { ...expired } });
      refreshes.set(key, refresh);
      // A refresh that failed may be tried again by a later request.
      refresh.catch(() => refreshes.delete(key));
    }
    return refresh;
  }

  /**
   * One request with the call's settings; its answer checked for errorCode success and, when given,
   * that `problem` finds nothing wrong with it.
   */
  async function request<T extends { errorCode?: unknown }>(
    operationId: keyof operations & string,
    input: CallOptions,
    secrets: readonly string[],
    go: (settings: ReturnType<typeof init> & { signal?: AbortSignal }) => Promise<FetchOutcome>,
    problem?: (data: T) => string | undefined,
  ): Promise<T> {
    const settings = init(input, operationId);
    const { data, response } = await send<T>(
      operationId,
      (signal) => go({ ...settings, ...(signal ? { signal } : {}) }),
      { signal: input.signal, secrets },
    );
    if (!isSuccessCode(data?.errorCode)) {
      const errorCode = data?.errorCode;
      throw answerError(operationId, response, data, secrets, (what, clean) => {
        const code =
          typeof errorCode === 'string' || typeof errorCode === 'number'
            ? `errorCode ${clean(JSON.stringify(errorCode))}`
            : 'no errorCode';
        return `the answer reports ${code}${what ? `: ${what}` : ''}`;
      });
    }
    const wrong = problem?.(data);
    if (wrong !== undefined) throw answerError(operationId, response, data, secrets, (_what, clean) => clean(wrong));
    return data;
  }

  type FileRequest<T> = (
    header: { appLinkID?: string; accessToken?: string },
    secrets: readonly string[],
  ) => Promise<T>;

  /**
   * A request on one file, with the caller's applink: as given, or from its function, which is
   * asked once more (shared per expired token) when the server refuses the token with -26.
   */
  async function onFile<T>(
    fileId: string,
    source: AppLink | AppLinkSource | undefined,
    go: FileRequest<T>,
  ): Promise<T> {
    const once = (appLink: AppLink | undefined): Promise<T> =>
      go(
        appLink ? { appLinkID: appLink.id, accessToken: appLink.accessToken } : {},
        appLink ? [...clientSecrets, appLink.id, appLink.accessToken] : clientSecrets,
      );
    if (typeof source !== 'function') {
      const appLink = source === undefined ? undefined : requireAppLink(source);
      if (!hasAuth && !appLink) {
        throw new ValidationError('appLink', 'an applink when the client was created without auth', 'got none');
      }
      return once(appLink);
    }
    const appLink = await askSource(source, { fileId });
    try {
      return await once(appLink);
    } catch (error) {
      if (!isExpiredLink(error)) throw error;
      // Once more with a new token; a second refusal is the caller's to see.
      return once(await refreshed(source, appLink, fileId));
    }
  }

  async function deleteFileMetadataValues(input: DeleteFileMetadataValuesInput): Promise<FileCollectionResponse> {
    const given = requireObject('input', input);
    rejectUnknownKeys('input', given, ['fileId', 'collection', 'fields', 'appLink', ...CALL_KEYS]);
    const fileId = requireFileId(input.fileId);
    const collection = requireText('collection', input.collection);
    const fields = requireFields(input.fields);
    return onFile(fileId, input.appLink, (header, secrets) =>
      request<FileCollectionResponse>('deleteFileMetadataValues', input, secrets, (settings) =>
        raw.DELETE('/files/{fileId}/metadata', {
          params: { path: { fileId }, header },
          body: { collection, fields },
          ...settings,
        }),
      ),
    );
  }

  async function getFileMetadataCollection(input: GetFileMetadataCollectionInput): Promise<FileGetCollectionResponse> {
    rejectUnknownKeys('input', requireObject('input', input), ['fileId', 'directAssigned', 'appLink', ...CALL_KEYS]);
    const fileId = requireFileId(input.fileId);
    const direct = input.directAssigned === undefined ? true : requireBoolean('directAssigned', input.directAssigned);
    const answer = await onFile(fileId, input.appLink, (header, secrets) =>
      request<FileGetCollectionResponse>(
        'getFileMetadataCollection',
        input,
        secrets,
        (settings) =>
          raw.GET('/files/{fileId}/metadata', {
            params: { path: { fileId }, query: { directAssigned: direct ? '1' : '0' }, header },
            ...settings,
          }),
        ({ metadata }) =>
          metadata === undefined || (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata))
            ? undefined
            : `the answer's metadata is ${describe(metadata)}; expected an object of collections`,
      ),
    );
    return answer;
  }

  async function assignFileMetadataValues(input: AssignFileMetadataValuesInput): Promise<FileCollectionResponse> {
    rejectUnknownKeys('input', requireObject('input', input), [
      'fileId',
      'collection',
      'values',
      'appLink',
      ...CALL_KEYS,
    ]);
    const fileId = requireFileId(input.fileId);
    const collection = requireText('collection', input.collection);
    const values = requireValues(input.values);
    return onFile(fileId, input.appLink, (header, secrets) =>
      request<FileCollectionResponse>('assignFileMetadataValues', input, secrets, (settings) =>
        raw.POST('/files/{fileId}/metadata', {
          params: { path: { fileId }, header },
          body: { collection, ...values },
          ...settings,
        }),
      ),
    );
  }

  async function refreshAppLinkToken(input: RefreshAppLinkTokenInput): Promise<AppLink> {
    rejectUnknownKeys('input', requireObject('input', input), ['appLink', 'refreshToken', ...CALL_KEYS]);
    const appLink = requireAppLink(input.appLink);
    const refreshToken = requireText('refreshToken', input.refreshToken);
    const secrets = [...clientSecrets, appLink.id, appLink.accessToken, refreshToken];
    const answer = await request<ApplinkTokenResponse>(
      'refreshAppLinkToken',
      input,
      secrets,
      (settings) =>
        raw.PUT('/applinks/token', {
          params: { header: { appLinkID: appLink.id, accessToken: appLink.accessToken, refreshToken } },
          ...settings,
        }),
      ({ accessToken }) =>
        typeof accessToken === 'string' && accessToken.trim() !== '' ? undefined : 'the answer carries no accessToken',
    );
    return { id: appLink.id, accessToken: answer.accessToken as string };
  }

  const deleteOne = (item: DeleteManyItem, signal: AbortSignal): Promise<FileCollectionResponse> =>
    deleteFileMetadataValues({ ...item, signal });

  return {
    raw,
    close,
    [Symbol.asyncDispose]: close,
    deleteFileMetadataValues,
    getFileMetadataCollection,
    assignFileMetadataValues,
    refreshAppLinkToken,
    deleteFileMetadataValuesStream: (items, manyOptions) => streamMany(items, deleteOne, manyOptions),
    deleteFileMetadataValuesMany: (items, manyOptions) => runMany(items, deleteOne, manyOptions),
  };
}
