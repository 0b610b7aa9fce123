/**
 * What a clear of one metadata key would touch, read with the vendor's own read operations
 * (countSamples, listSamples) before anything is changed: the preview, and the listing a backup is
 * written from. countSamples and listSamples have no `ids`/`excludeIds` filters, so those are
 * applied here, to each listed page.
 */

import type { CallOptions } from '../core/client.js';
import { ValidationError } from '../core/errors.js';
import { describe, requireInteger } from '../core/validate.js';
import type { EdgeImpulseClient } from './client.js';
import { type RawDataCategory, SAMPLE_CATEGORIES, type SampleCategory, type SampleFilter } from './filters.js';
import { type ListingChange, listAll } from './listing.js';

/** A sample that holds the key, with its value. */
export interface KeyedSample {
  id: number;
  value: string;
}

export interface KeySelection extends CallOptions {
  projectId: number;
  category: RawDataCategory;
  metadataKey: string;
  filter?: SampleFilter;
  /** Samples per listSamples page (default 500). */
  pageSize?: number;
  /** The listing changed while it was read (see listAll). */
  onChange?: (change: ListingChange) => void;
}

/** One listed page: how many of its samples the filter selects, and those that hold the key. */
export interface SelectionPage {
  /** The IDs of the page's samples the filter selects. */
  ids: number[];
  /** How many those are. */
  selected: number;
  keyed: KeyedSample[];
  /** The samples the page listed, selected or not. */
  listed: number;
  /** The server's count of the samples listed from this page's first on (this page's and those after it). */
  left: number;
}

export const DEFAULT_PAGE_SIZE = 500;

/** The category as the read operations take it; `validation` is a category they do not have. */
export function readableCategory(category: RawDataCategory): SampleCategory {
  if ((SAMPLE_CATEGORIES as readonly string[]).includes(category)) return category as SampleCategory;
  throw new ValidationError(
    'category',
    `one of ${SAMPLE_CATEGORIES.join(', ')} (the categories countSamples and listSamples read)`,
    `got ${describe(category)}: its samples cannot be listed, so they cannot be previewed or backed up`,
  );
}

/**
 * The samples a clear would select, page by page (listAll: until the server's count is covered, in
 * `id-desc` order), with the filter's `ids`/`excludeIds` applied to each page. Memory: one page.
 */
export async function* selectedPages(client: EdgeImpulseClient, input: KeySelection): AsyncGenerator<SelectionPage> {
  const category = readableCategory(input.category);
  const pageSize = input.pageSize === undefined ? DEFAULT_PAGE_SIZE : requireInteger('pageSize', input.pageSize, 1);
  const { ids, excludeIds, ...readFilter } = input.filter ?? {};
  const only = ids === undefined ? undefined : new Set(ids);
  const except = new Set(excludeIds ?? []);
  for await (const { samples, left } of listAll(client, {
    projectId: input.projectId,
    category,
    filter: readFilter,
    pageSize,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
    ...(input.onChange ? { onChange: input.onChange } : {}),
  })) {
    const page: SelectionPage = { ids: [], selected: 0, keyed: [], listed: samples.length, left };
    for (const sample of samples) {
      if ((only !== undefined && !only.has(sample.id)) || except.has(sample.id)) continue;
      page.selected++;
      page.ids.push(sample.id);
      const value = (sample.metadata as Record<string, unknown> | undefined)?.[input.metadataKey];
      if (typeof value === 'string') page.keyed.push({ id: sample.id, value });
    }
    yield page;
  }
}

export interface ClearPreview {
  /** countSamples: the server's count of the samples the filter matches, `ids`/`excludeIds` aside. */
  serverCount: number;
  /** The samples the clear selects (the listing, with `ids`/`excludeIds` applied). */
  selected: number;
  /** Of those, the samples that hold the key: the ones the clear changes. */
  withKey: number;
  /** The first few of them, with their current values. */
  examples: KeyedSample[];
}

/** What clearing the key would change, from the server's own figures; sends nothing that changes anything. */
export async function previewClearMetadata(
  client: EdgeImpulseClient,
  input: KeySelection & { examples?: number },
): Promise<ClearPreview> {
  const wanted = input.examples === undefined ? 5 : requireInteger('examples', input.examples, 0);
  const { ids: _ids, excludeIds: _excludeIds, ...readFilter } = input.filter ?? {};
  const serverCount = await client.countSamples({
    projectId: input.projectId,
    category: readableCategory(input.category),
    filter: readFilter,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const preview: ClearPreview = { serverCount, selected: 0, withKey: 0, examples: [] };
  for await (const page of selectedPages(client, input)) {
    preview.selected += page.selected;
    preview.withKey += page.keyed.length;
    for (const sample of page.keyed) if (preview.examples.length < wanted) preview.examples.push(sample);
  }
  return preview;
}
