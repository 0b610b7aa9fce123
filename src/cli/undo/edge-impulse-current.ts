/**
 * What a set of samples holds now, read with listSamples: for the restore, a chunk of backup
 * entries at a time. Held: the chunk's IDs and what they hold, never the project's other samples.
 *
 * The chunk's ID range is listed (minId/maxId, the vendor's own filters; listAll pages it until the
 * server's count is covered). When the range holds far more samples than the chunk (a few entries
 * spread over a large project), the rest is read one ID at a time instead (minId = id, maxId = id + 1):
 * calls in proportion to the chunk, not to the project. The listing goes below the last ID read
 * (maxId), so a sample added or removed meanwhile shifts nothing: each sample is read as it is.
 */
import type { EdgeImpulseClient, Sample } from '../../edge-impulse/client.js';
import type { SampleCategory } from '../../edge-impulse/filters.js';
import { listAll } from '../../edge-impulse/listing.js';

/** Listing pages of this many samples. */
export const PAGE_SIZE = 1000;
/** A range that counts more than this many samples per chunk entry is read one ID at a time. */
const SPARSE = 4;

/** What a sample holds now: its value of the key, or null when it holds none. IDs not in the map no longer exist. */
export type Current = Map<number, string | null>;

export interface CurrentInput {
  reader: EdgeImpulseClient;
  projectId: number;
  category: SampleCategory;
  metadataKey: string;
  signal: AbortSignal;
}

const keyValue = (sample: Sample, key: string): string | null => {
  const value = (sample.metadata as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : null;
};

/** The current value of each of `ids` that still exists. */
export async function currentOf(input: CurrentInput, ids: readonly number[]): Promise<Current> {
  const current: Current = new Map();
  if (ids.length === 0) return current;
  const wanted = new Set(ids);
  const sorted = [...wanted].sort((a, b) => b - a);
  const highest = sorted[0] as number;
  const lowest = sorted[sorted.length - 1] as number;
  const read = { projectId: input.projectId, category: input.category, signal: input.signal };
  const take = (samples: readonly Sample[]) => {
    for (const sample of samples)
      if (wanted.has(sample.id)) current.set(sample.id, keyValue(sample, input.metadataKey));
  };
  // Below this ID, nothing is read yet.
  let below = highest + 1;
  let sparse = false;
  for await (const { samples, left } of listAll(input.reader, {
    ...read,
    filter: { minId: lowest, maxId: highest + 1 },
    pageSize: PAGE_SIZE,
  })) {
    take(samples);
    below = (samples[samples.length - 1] as Sample).id;
    const rest = sorted.filter((id) => id < below).length;
    if (rest === 0) return current;
    if (left - samples.length > SPARSE * rest + PAGE_SIZE) {
      sparse = true;
      break;
    }
  }
  if (!sparse) return current;
  // A sparse range: the IDs not read yet, one at a time.
  for (const id of sorted) {
    if (id >= below) continue;
    const { samples } = await input.reader.listSamples({
      ...read,
      filter: { minId: id, maxId: id + 1 },
      limit: 1,
      excludeSensors: true,
    });
    take(samples);
  }
  return current;
}
