/**
 * listSamples, page after page, until the server's `totalCount` is covered: in `id-desc` order (the
 * vendor's default, asked for by name), each page after the first selected by `maxId` below the last
 * ID listed (the vendor's own filter: "an ID < this value") rather than by `offset`. So a page
 * shorter than asked (a server that caps `limit`) does not end the listing, and a sample added or
 * removed meanwhile does not shift the pages: none is skipped or listed twice.
 *
 * The project's own reading of the vendor's text: each page's `totalCount` counts the samples the
 * page's query matches (those below the cursor), so it tells how many are left; a server whose
 * `totalCount` stays the first page's count (the whole selection) is read that way instead. A count that is not
 * what the pages before it left (samples added or removed below the cursor while it is read) is
 * reported through `onChange`, and the listing goes on to the end of what the server lists; it
 * never loops: every page moves the cursor down, and a page that does not is refused.
 * Memory: one page.
 */
import type { CallOptions } from '../core/client.js';
import { MetaclearError } from '../core/errors.js';
import type { EdgeImpulseClient, Sample } from './client.js';
import type { SampleCategory, SampleFilter } from './filters.js';

/** The filter the read operations take: no `ids`/`excludeIds`. */
export type ReadFilter = Omit<SampleFilter, 'ids' | 'excludeIds'>;

export interface ListingInput extends CallOptions {
  projectId: number;
  category: SampleCategory;
  filter?: ReadFilter;
  /** Samples asked for per page. */
  pageSize: number;
  /** The listing's count differs from what its earlier pages left: samples were added or removed meanwhile. */
  onChange?: (change: ListingChange) => void;
}

export interface ListingChange {
  /** The samples the pages read so far left to list. */
  expected: number;
  /** The server's count of them on the next page. */
  counted: number;
}

/** One page, and how many samples the server counted from its first on (this page's and those after it). */
export interface ListedPage {
  samples: Sample[];
  left: number;
}

/** The server answered a page out of order: the listing cannot go on without skipping or repeating. */
export class ListingOrderError extends MetaclearError {
  override name = 'ListingOrderError';
  constructor(
    readonly id: number,
    readonly cursor: number,
  ) {
    super(
      `listSamples answered sample ${id}, not below ${cursor} as asked (maxId ${cursor}, sortBy id-desc); the listing stops rather than skip or repeat samples`,
    );
  }
}

/** The samples the filter matches, page by page, newest ID first, until the server's count is covered. */
export async function* listAll(client: EdgeImpulseClient, input: ListingInput): AsyncGenerator<ListedPage> {
  const call = {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
  };
  const base = input.filter ?? {};
  let cursor: number | undefined;
  let expected: number | undefined;
  let first: number | undefined;
  let listed = 0;
  for (;;) {
    const maxId = cursor === undefined ? base.maxId : Math.min(cursor, base.maxId ?? cursor);
    const { samples, totalCount } = await client.listSamples({
      projectId: input.projectId,
      category: input.category,
      filter: { ...base, ...(maxId === undefined ? {} : { maxId }) },
      limit: input.pageSize,
      sortBy: 'id-desc',
      excludeSensors: true,
      ...call,
    });
    // A server that counts the whole selection on every page (not what is below the cursor) is
    // taken at its word too: then the listing is covered once it has listed that many.
    const whole = first !== undefined && totalCount === first;
    first ??= totalCount;
    if (expected !== undefined && totalCount !== expected && !whole)
      input.onChange?.({ expected, counted: totalCount });
    let last = cursor;
    for (const sample of samples) {
      if (last !== undefined && sample.id >= last) throw new ListingOrderError(sample.id, last);
      last = sample.id;
    }
    const left = whole ? first - listed : totalCount;
    listed += samples.length;
    if (samples.length > 0) yield { samples, left };
    // Covered: the page held every sample the server counts below the cursor.
    if (samples.length >= left) return;
    if (samples.length === 0) {
      // The server counts samples it does not list: removed meanwhile, or a count that is not of these.
      input.onChange?.({ expected: left, counted: 0 });
      return;
    }
    expected = totalCount - samples.length;
    cursor = last;
  }
}
