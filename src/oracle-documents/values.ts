/**
 * The values of some fields of a collection on Oracle files, read before they are cleared and
 * assigned again after: a file's own values (`directAssigned=1`, so a value inherited from a
 * folder is never taken for the file's own), the preview of a clear over many files, and the
 * restore of one file from its backed-up values. Every loop over many files streams (streamMany):
 * memory is O(concurrency), never O(files).
 */
import type { CallOptions } from '../core/client.js';
import { ApiError } from '../core/errors.js';
import type { AppLink, AppLinkSource, FieldValue, OracleDocumentsClient } from './client.js';
import { type ManyOptions, streamMany } from './many.js';

/** Field name → value: only the named fields that hold a value of the file's own. */
export type OwnValues = Record<string, FieldValue>;

export interface FieldsSelection {
  /** The collection, e.g. CollectionA or Personal.CollectionA. */
  collection: string;
  /** The fields of interest. */
  fields: readonly string[];
  appLink?: AppLink | AppLinkSource;
}

export interface ReadOwnValuesInput extends FieldsSelection, CallOptions {
  fileId: string;
}

const isFieldValue = (v: unknown): v is FieldValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * The file's own values of the named fields (GET …/metadata?directAssigned=1): a field without a
 * value of its own, or whose collection is not assigned to the file, is absent.
 */
export async function readOwnValues(client: OracleDocumentsClient, input: ReadOwnValuesInput): Promise<OwnValues> {
  const answer = await client.getFileMetadataCollection({
    fileId: input.fileId,
    directAssigned: true,
    ...(input.appLink !== undefined ? { appLink: input.appLink } : {}),
    ...(input.signal !== undefined ? { signal: input.signal } : {}),
    ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
  });
  const collection = (answer.metadata as Record<string, unknown> | undefined)?.[input.collection];
  const own: OwnValues = {};
  if (collection === null || typeof collection !== 'object') return own;
  for (const field of input.fields) {
    if (!Object.hasOwn(collection, field)) continue;
    const value = (collection as Record<string, unknown>)[field];
    if (isFieldValue(value)) own[field] = value;
  }
  return own;
}

export interface FilePreview {
  fileId: string;
  /** The file's own values of the named fields; empty: the clear would change nothing on it. */
  values: OwnValues;
}

export interface DeletePreview {
  /** Files read. */
  files: number;
  /** Files with a value of their own in at least one named field: the files the clear would change. */
  withValues: number;
  /** Values the clear would remove, over all files. */
  values: number;
  /** Files that could not be read (their errors went to `onError`). */
  failed: number;
}

export interface PreviewOptions extends Pick<ManyOptions, 'concurrency' | 'maxRatePerSecond' | 'signal' | 'adaptive'> {
  /** Each file's own values, as it is read (in completion order). */
  onFile?: (file: FilePreview) => void;
  /** Each file that could not be read. */
  onError?: (fileId: string, error: Error) => void;
}

/**
 * What deleting the values of `fields` would change on each file, read with the vendor's own read
 * (Get File Metadata Collection, `directAssigned=1`); sends nothing that changes anything. Streams:
 * memory stays flat for an input of any length.
 */
export async function previewDeleteFileMetadataValues(
  client: OracleDocumentsClient,
  fileIds: Iterable<string> | AsyncIterable<string>,
  selection: FieldsSelection,
  options: PreviewOptions = {},
): Promise<DeletePreview> {
  const { onFile, onError, ...many } = options;
  const preview: DeletePreview = { files: 0, withValues: 0, values: 0, failed: 0 };
  const items = (async function* () {
    for await (const fileId of fileIds) yield { fileId };
  })();
  const results = streamMany(
    items,
    (item, signal) => readOwnValues(client, { ...selection, fileId: item.fileId, signal }),
    many,
  );
  for await (const result of results) {
    if (!result.ok) {
      preview.failed++;
      onError?.(result.fileId, result.error);
      continue;
    }
    preview.files++;
    const n = Object.keys(result.response).length;
    if (n > 0) preview.withValues++;
    preview.values += n;
    onFile?.({ fileId: result.fileId, values: result.response });
  }
  return preview;
}

/** What restoring one file did (or, with a client that sends nothing, would do), field by field. */
export type RestoreOutcome =
  /** Every backed-up value is in place now: those it lacked were assigned (and, unless `readBack` is false, read back). */
  | { status: 'restored'; assigned: OwnValues }
  /** It held every backed-up value already: nothing was sent. */
  | { status: 'unchanged' }
  /**
   * Some fields hold another value than the backup's (`current`): left as they are (no `force`).
   * Every other field was restored (`assigned`, read back; empty when it held its value already).
   */
  | { status: 'changed'; current: OwnValues; assigned: OwnValues }
  /** The file no longer exists (404). */
  | { status: 'missing' };

export interface RestoreFileInput extends FieldsSelection, CallOptions {
  fileId: string;
  /** The values the backup holds. */
  values: OwnValues;
  /** Also overwrite the fields whose value changed since the backup. */
  force?: boolean;
  /** Assigns the values: by default `client`; a dry run passes a client that sends nothing. */
  writer?: OracleDocumentsClient;
  /**
   * Read the file again after the assign and check every assigned field holds its value (default
   * true). Only a dry run, whose writer sends nothing, turns it off.
   */
  readBack?: boolean;
}

/** After the assign, a field read back does not hold the value assigned: the restore is not observed. */
export class RestoreReadBackError extends Error {
  override name = 'RestoreReadBackError';
  constructor(
    readonly fileId: string,
    /** Field → what it holds now (undefined: no value of its own). */
    readonly found: Record<string, FieldValue | undefined>,
  ) {
    super(
      `file ${fileId}: read back after the assign, ${Object.entries(found)
        .map(([field, value]) => `${field} holds ${value === undefined ? 'no value' : JSON.stringify(value)}`)
        .join(', ')}, not the backed-up value`,
    );
  }
}

/**
 * Puts a file's backed-up values back, field by field: reads its own values now, and assigns those
 * of the backup it does not hold. A field that holds another value now was changed since the
 * backup: it is left as it is unless `force`, and every other field is restored all the same.
 * Idempotent: a file that holds them already is left alone. What is assigned is read back: the
 * outcome says only what the server was seen to hold.
 */
export async function restoreFileMetadataValues(
  client: OracleDocumentsClient,
  input: RestoreFileInput,
): Promise<RestoreOutcome> {
  const fields = Object.keys(input.values);
  let current: OwnValues;
  try {
    current = await readOwnValues(client, { ...input, fields });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { status: 'missing' };
    throw error;
  }
  const assigned: OwnValues = {};
  const changed: OwnValues = {};
  for (const field of fields) {
    const now = current[field];
    const then = input.values[field] as FieldValue;
    if (now === then) continue;
    if (now !== undefined && input.force !== true) changed[field] = now;
    else assigned[field] = then;
  }
  const anyChanged = Object.keys(changed).length > 0;
  if (Object.keys(assigned).length === 0) {
    return anyChanged ? { status: 'changed', current: changed, assigned } : { status: 'unchanged' };
  }
  await (input.writer ?? client).assignFileMetadataValues({
    fileId: input.fileId,
    collection: input.collection,
    values: assigned,
    ...(input.appLink !== undefined ? { appLink: input.appLink } : {}),
    ...(input.signal !== undefined ? { signal: input.signal } : {}),
    ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
  });
  if (input.readBack !== false) {
    const after = await readOwnValues(client, { ...input, fields: Object.keys(assigned) });
    const found: Record<string, FieldValue | undefined> = {};
    for (const [field, value] of Object.entries(assigned)) if (after[field] !== value) found[field] = after[field];
    if (Object.keys(found).length > 0) throw new RestoreReadBackError(input.fileId, found);
  }
  return anyChanged ? { status: 'changed', current: changed, assigned } : { status: 'restored', assigned };
}
