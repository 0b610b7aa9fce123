/** createOracleDocumentsClient: reset values of metadata fields on files, one or many. */
import type { Client } from 'openapi-fetch';
import type { components, paths } from '../../generated/oracle-documents/schema.js';
import { authHeaders, type OneOf } from '../core/auth.js';
import { requireBaseUrl } from '../core/base-url.js';
import {
  CALL_KEYS,
  type CallOptions,
  COMMON_KEYS,
  type CommonClientOptions,
  createClientCore,
} from '../core/client.js';
import { ApiError, ValidationError } from '../core/errors.js';
import { describeBody, requestIdOf, send } from '../core/http.js';
import { redact } from '../core/redact.js';
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

export interface DeleteFileMetadataValuesInput extends CallOptions {
  /** The file's GUID. */
  fileId: string;
  /** The metadata collection, e.g. CollectionA or Personal.CollectionA. */
  collection: Body['collection'];
  /** The fields whose values are deleted. */
  fields: string[];
  appLink?: AppLink;
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
}

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

function requireAppLink(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const link = requireObject('appLink', value);
  rejectUnknownKeys('appLink', link, ['id', 'accessToken']);
  return {
    appLinkID: requireText('appLink.id', link.id),
    accessToken: requireText('appLink.accessToken', link.accessToken),
  };
}

export function createOracleDocumentsClient(options: OracleDocumentsClientOptions): OracleDocumentsClient {
  const opts = requireObject('options', options);
  rejectUnknownKeys('options', opts, ['baseUrl', 'auth', ...COMMON_KEYS]);
  const baseUrl = requireBaseUrl('options.baseUrl', opts.baseUrl);
  const auth = opts.auth === undefined ? {} : authHeaders('options.auth', opts.auth, AUTH_SHAPES);
  const { raw, init, secrets: clientSecrets } = createClientCore<paths>(baseUrl, auth, options);
  const hasAuth = opts.auth !== undefined;

  async function deleteFileMetadataValues(input: DeleteFileMetadataValuesInput): Promise<FileCollectionResponse> {
    const given = requireObject('input', input);
    rejectUnknownKeys('input', given, ['fileId', 'collection', 'fields', 'appLink', ...CALL_KEYS]);
    const fileId = requireFileId(input.fileId);
    const collection = requireText('collection', input.collection);
    const fields = requireFields(input.fields);
    const appLink = requireAppLink(input.appLink);
    if (!hasAuth && !appLink.appLinkID) {
      throw new ValidationError('appLink', 'an applink when the client was created without auth', 'got none');
    }
    const call = init(input);
    const secrets = appLink.accessToken ? [...clientSecrets, appLink.accessToken] : clientSecrets;
    const { data, response } = await send<FileCollectionResponse>(
      OPERATION,
      (signal) =>
        raw.DELETE('/files/{fileId}/metadata', {
          params: { path: { fileId }, header: appLink },
          body: { collection, fields },
          ...call,
          ...(signal ? { signal } : {}),
        }),
      { signal: input.signal, secrets },
    );
    if (data?.errorCode !== '0') {
      const code = typeof data?.errorCode === 'string' ? `errorCode ${JSON.stringify(data.errorCode)}` : 'no errorCode';
      const what = describeBody(data);
      throw new ApiError(redact(`the answer reports ${code}${what ? `: ${what}` : ''}`, secrets), {
        operationId: OPERATION,
        status: response.status,
        body: redact(data, secrets),
        requestId: requestIdOf(response),
      });
    }
    return data;
  }

  return {
    raw,
    deleteFileMetadataValues,
    deleteFileMetadataValuesMany: (items, manyOptions) =>
      runMany(items, (item, signal) => deleteFileMetadataValues({ ...item, signal }), manyOptions),
  };
}
