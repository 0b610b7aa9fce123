/**
 * The sample filters of `POST /api/{projectId}/raw-data/batch/clear-metadata-by-key`, as the
 * spec's parameter descriptions state them. A sample matches when it passes every filter given;
 * an absent filter does not restrict. The query arrives validated and coerced by openapi-backend
 * (types, enums, date-time format); this module checks the JSON inside string parameters.
 *
 * Readings the spec leaves open, chosen here:
 * - `includeDisabled` and `signatureValidity` default to `both` (an absent filter does not restrict).
 * - `filename` and `labels` compare case-sensitively; `search` is trimmed and matches a sample whose
 *   id equals it or whose filename contains it, case-insensitively (the spec's example is `<id> <name>`).
 * - `minLabel` (>=) and `maxLabel` (<) compare labels as numbers; a label that is not a number
 *   (e.g. "idle") never passes either.
 * - An empty `labels` or `ids` list (`[]`) matches no sample; an empty `excludeIds` excludes none.
 * - `minLength`/`minFrequency` (>), `maxLength`/`maxFrequency` (<), `minDate` ("added after", >) and
 *   `maxDate` ("added before", <) are strict; `minId` (>=) and `maxId` (<) are as the spec says.
 * - `metadata`: see metadata-filter.ts.
 */
import type { operations } from '../../generated/edge-impulse/schema.js';
import type { Sample } from './edge-impulse-state.js';
import { jsonIntegerArray, jsonStringArray } from './json-query-parameters.js';
import { matchesMetadata, parseMetadataFilter } from './metadata-filter.js';

export type ClearMetadataQuery = operations['batchClearMetadataByKey']['parameters']['query'];
export type SamplePredicate = (sample: Readonly<Sample>) => boolean;

/** A label as a number, or undefined when it does not look like one. */
function numericLabel(label: string): number | undefined {
  if (label.trim() === '') return undefined;
  const value = Number(label);
  return Number.isFinite(value) ? value : undefined;
}

function searchMatches(search: string): SamplePredicate {
  const term = search.trim().toLowerCase();
  if (term === '') return () => true;
  return (sample) => String(sample.id) === term || sample.filename.toLowerCase().includes(term);
}

/** Builds the predicate for a validated query; throws QueryParameterError for bad JSON content. */
export function sampleFilter(query: ClearMetadataQuery): SamplePredicate {
  const tests: SamplePredicate[] = [];
  const add = (test: SamplePredicate): void => {
    tests.push(test);
  };
  const { category } = query;

  if (category !== 'all') add((s) => s.category === category);
  if (query.labels !== undefined) {
    const labels = jsonStringArray('labels', query.labels);
    add((s) => labels.includes(s.label));
  }
  if (query.filename !== undefined) {
    const filename = query.filename;
    add((s) => s.filename.includes(filename));
  }
  const { maxLength, minLength, minFrequency, maxFrequency, minLabel, maxLabel, minId, maxId } = query;
  if (maxLength !== undefined) add((s) => s.length < maxLength);
  if (minLength !== undefined) add((s) => s.length > minLength);
  if (minFrequency !== undefined) add((s) => s.frequency > minFrequency);
  if (maxFrequency !== undefined) add((s) => s.frequency < maxFrequency);
  if (query.signatureValidity === 'valid') add((s) => s.signatureValid);
  if (query.signatureValidity === 'invalid') add((s) => !s.signatureValid);
  if (query.includeDisabled === 'enabled') add((s) => s.enabled);
  if (query.includeDisabled === 'disabled') add((s) => !s.enabled);
  if (query.ids !== undefined) {
    const ids = new Set(jsonIntegerArray('ids', query.ids));
    add((s) => ids.has(s.id));
  }
  if (query.excludeIds !== undefined) {
    const excluded = new Set(jsonIntegerArray('excludeIds', query.excludeIds));
    add((s) => !excluded.has(s.id));
  }
  if (minLabel !== undefined) add((s) => (numericLabel(s.label) ?? Number.NaN) >= minLabel);
  if (maxLabel !== undefined) add((s) => (numericLabel(s.label) ?? Number.NaN) < maxLabel);
  if (query.search !== undefined) add(searchMatches(query.search));
  if (query.dataType !== undefined) {
    const dataType = query.dataType;
    add((s) => s.dataType === dataType);
  }
  if (minId !== undefined) add((s) => s.id >= minId);
  if (maxId !== undefined) add((s) => s.id < maxId);
  if (query.metadata !== undefined) {
    const metadata = parseMetadataFilter(query.metadata);
    add((s) => matchesMetadata(s.metadata, metadata));
  }
  if (query.minDate !== undefined) {
    const after = Date.parse(query.minDate);
    add((s) => s.added.getTime() > after);
  }
  if (query.maxDate !== undefined) {
    const before = Date.parse(query.maxDate);
    add((s) => s.added.getTime() < before);
  }
  return (sample) => tests.every((test) => test(sample));
}
