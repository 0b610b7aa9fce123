/** createOracleDocumentsClient: reset values of metadata fields on files, one or many. */
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
import { answerError, send } from '../core/http.js';
import { rejectUnknownKeys, requireArray, requireObject, requireText } from '../core/validate.js';
import { type ManyOptions, type ManyResult, runMany } from './many.js';

export type FileCollectionResponse = components['schemas']['FileCollectionResponse'];
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

export interface OracleDocumentsClient {
  deleteFileMetadataValues(input: DeleteFileMetadataValuesInput): Promise<FileCollectionResponse>;
  /** The same call for many files, `concurrency` at a time; never rejects for one item's failure. */
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
 * README, "What is retried"). An operation not listed follows its method: POST goes out once.
 */
const SAFE_TO_RETRY: RetrySafety<operations> = {
  deleteFileMetadataValues: 'resetting the values of fields leaves them empty however often it runs',
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

const OPERATION = 'deleteFileMetadataValues';

function requireFileId(value: unknown): string {
  const fileId = requireText('fileId', value, 'a non-empty file GUID');
  // Sent as one encoded path segment; "." and ".." would still be resolved away by URL parsing.
  if (fileId === '.' || fileId === '..' || fileId.trim() !== fileId) {
    throw new ValidationError('fileId', 'a non-empty file GUID', `got ${JSON.stringify(fileId)}`);
  }
  return fileId;
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

  async function deleteOnce(
    input: DeleteFileMetadataValuesInput,
    body: { fileId: string; collection: string; fields: string },
    appLink: AppLink | undefined,
  ): Promise<FileCollectionResponse> {
    const { fileId, collection, fields } = body;
    const call = init(input, OPERATION);
    const header = appLink ? { appLinkID: appLink.id, accessToken: appLink.accessToken } : {};
    const secrets = appLink ? [...clientSecrets, appLink.id, appLink.accessToken] : clientSecrets;
    const { data, response } = await send<FileCollectionResponse>(
      OPERATION,
      (signal) =>
        raw.DELETE('/files/{fileId}/metadata', {
          params: { path: { fileId }, header },
          body: { collection, fields },
          ...call,
          ...(signal ? { signal } : {}),
        }),
      { signal: input.signal, secrets },
    );
    if (!isSuccessCode(data?.errorCode)) {
      const errorCode = data?.errorCode;
      throw answerError(OPERATION, response, data, secrets, (what, redact) => {
        const code =
          typeof errorCode === 'string' || typeof errorCode === 'number'
            ? `errorCode ${redact(JSON.stringify(errorCode))}`
            : 'no errorCode';
        return `the answer reports ${code}${what ? `: ${what}` : ''}`;
      });
    }
    return data;
  }

  async function deleteFileMetadataValues(input: DeleteFileMetadataValuesInput): Promise<FileCollectionResponse> {
    const given = requireObject('input', input);
    rejectUnknownKeys('input', given, ['fileId', 'collection', 'fields', 'appLink', ...CALL_KEYS]);
    const fileId = requireFileId(input.fileId);
    const collection = requireText('collection', input.collection);
    const fields = requireFields(input.fields);
    const body = { fileId, collection, fields };
    const source = input.appLink;
    if (typeof source !== 'function') {
      const appLink = source === undefined ? undefined : requireAppLink(source);
      if (!hasAuth && !appLink) {
        throw new ValidationError('appLink', 'an applink when the client was created without auth', 'got none');
      }
      return deleteOnce(input, body, appLink);
    }
    const appLink = await askSource(source, { fileId });
    try {
      return await deleteOnce(input, body, appLink);
    } catch (error) {
      if (!isExpiredLink(error)) throw error;
      // Once more with a new token; a second refusal is the caller's to see.
      return deleteOnce(input, body, await refreshed(source, appLink, fileId));
    }
  }

  return {
    raw,
    close,
    [Symbol.asyncDispose]: close,
    deleteFileMetadataValues,
    deleteFileMetadataValuesMany: (items, manyOptions) =>
      runMany(items, (item, signal) => deleteFileMetadataValues({ ...item, signal }), manyOptions),
  };
}
