/**
 * The 21 filter query parameters of clear-metadata-by-key (and of add-metadata, which has the
 * same), in the form a user means, and their serialization to the wire form the spec describes
 * (JSON strings, ISO date-times). countSamples and listSamples take the same filters but `ids`
 * and `excludeIds`.
 */
import type { operations } from '../../generated/edge-impulse/schema.js';
import { allOf } from '../core/enum.js';
import { ValidationError } from '../core/errors.js';
import {
  rejectUnknownKeys,
  requireArray,
  requireBoolean,
  requireDate,
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requireOneOf,
  requireText,
} from '../core/validate.js';

/** The query of the operation, exactly as generated from the spec. */
export type ClearMetadataQuery = operations['batchClearMetadataByKey']['parameters']['query'];
export type RawDataCategory = ClearMetadataQuery['category'];
type WireFilter = Omit<ClearMetadataQuery, 'category'>;
/** The queries of countSamples and batchAddMetadata, as generated. */
export type CountSamplesQuery = operations['countSamples']['parameters']['query'];
export type AddMetadataQuery = operations['batchAddMetadata']['parameters']['query'];
/**
 * The categories of countSamples, listSamples and batchAddMetadata. The vendor's document they
 * come from has no `validation`, which the clear operation's docs page lists.
 */
export type SampleCategory = CountSamplesQuery['category'];
type ReadWireFilter = Omit<CountSamplesQuery, 'category'>;

/** Parameters whose wire form is a JSON string or a date-time string, given here as what they mean. */
type Rewritten = 'labels' | 'ids' | 'excludeIds' | 'minDate' | 'maxDate' | 'metadata';

export interface MetadataRule {
  key: string;
  /** `eq` keeps samples whose value is one of `values`; `neq` keeps those whose value is not. */
  op: 'eq' | 'neq';
  /** Omitted or empty: every value of the key. */
  values?: string[];
}

export interface MetadataFilter {
  /** `and`: every rule must match; `or`: any rule may match. */
  combinator?: 'and' | 'or';
  /** true: include samples without any metadata. */
  noMetadata?: boolean;
  rules: MetadataRule[];
}

/** Every filter of the operation; the ones not rewritten keep the generated type. */
export type SampleFilter = Omit<WireFilter, Rewritten> & {
  /** Samples with one of these labels. */
  labels?: string[];
  /** Samples with one of these IDs. */
  ids?: number[];
  /** Samples with none of these IDs. */
  excludeIds?: number[];
  /** Samples added after this date. */
  minDate?: Date | string;
  /** Samples added before this date. */
  maxDate?: Date | string;
  /** Samples by metadata key and value. */
  metadata?: MetadataFilter;
};

export const CATEGORIES = allOf<RawDataCategory>()(['training', 'testing', 'validation', 'post-processing', 'all']);
export const SAMPLE_CATEGORIES = allOf<SampleCategory>()(['training', 'testing', 'post-processing', 'all']);

/** The filters countSamples and listSamples take: every filter but `ids` and `excludeIds`. */
export type ReadFilter = Omit<SampleFilter, 'ids' | 'excludeIds'>;

/** The filters the read operations lack: a spec change that adds or drops one fails `tsc` here. */
type ReadOnlyLacks = Exclude<keyof WireFilter, keyof ReadWireFilter>;
type ReadExtra = Exclude<keyof ReadWireFilter, keyof WireFilter>;
export const READ_FILTERS_LACK: readonly ReadOnlyLacks[] = allOf<ReadOnlyLacks>()(['ids', 'excludeIds']);
export const READ_FILTERS_ARE_THE_OTHERS: [ReadExtra] extends [never] ? true : { extra: ReadExtra } = true;

type ScalarKey = Exclude<keyof WireFilter, Rewritten>;
type Check = (field: string, value: unknown) => string | number;

const text: Check = (field, value) => requireText(field, value);
const integer: Check = (field, value) => requireInteger(field, value, 0);
const num: Check = (field, value) => requireFiniteNumber(field, value);
const oneOf =
  (values: readonly string[]): Check =>
  (field, value) =>
    requireOneOf(field, value, values);

/** How each scalar filter is checked. Keyed by the generated type: a new parameter fails `tsc` here. */
const SCALARS: { [K in ScalarKey]-?: Check } = {
  filename: text,
  maxLength: integer,
  minLength: integer,
  minFrequency: num,
  maxFrequency: num,
  signatureValidity: oneOf(allOf<NonNullable<WireFilter['signatureValidity']>>()(['both', 'valid', 'invalid'])),
  includeDisabled: oneOf(allOf<NonNullable<WireFilter['includeDisabled']>>()(['both', 'enabled', 'disabled'])),
  minLabel: num,
  maxLabel: num,
  search: text,
  dataType: oneOf(allOf<NonNullable<WireFilter['dataType']>>()(['audio', 'image'])),
  minId: integer,
  maxId: integer,
};

const REWRITTEN: readonly Rewritten[] = ['labels', 'ids', 'excludeIds', 'minDate', 'maxDate', 'metadata'];
const KNOWN = [...Object.keys(SCALARS), ...REWRITTEN];

function idList(field: string, value: unknown): string {
  const ids = requireArray(field, value).map((id, i) => requireInteger(`${field}[${i}]`, id, 0));
  return JSON.stringify(ids);
}

function labelList(field: string, value: unknown): string {
  const labels = requireArray(field, value).map((label, i) => {
    if (typeof label !== 'string') throw new ValidationError(`${field}[${i}]`, 'a string');
    return label;
  });
  return JSON.stringify(labels);
}

/** The metadata filter as the spec's JSON list: option objects first, then one object per rule. */
export function serializeMetadataFilter(field: string, value: unknown): string {
  const filter = requireObject(field, value);
  rejectUnknownKeys(field, filter, ['combinator', 'noMetadata', 'rules']);
  const items: unknown[] = [];
  if (filter.noMetadata !== undefined)
    items.push({ no_metadata: requireBoolean(`${field}.noMetadata`, filter.noMetadata) });
  if (filter.combinator !== undefined) {
    items.push({ filters_combinator: requireOneOf(`${field}.combinator`, filter.combinator, ['and', 'or'] as const) });
  }
  requireArray(`${field}.rules`, filter.rules).forEach((raw, i) => {
    const at = `${field}.rules[${i}]`;
    const rule = requireObject(at, raw);
    rejectUnknownKeys(at, rule, ['key', 'op', 'values']);
    const item: Record<string, unknown> = {
      key: requireText(`${at}.key`, rule.key),
      op: requireOneOf(`${at}.op`, rule.op, ['eq', 'neq'] as const),
    };
    if (rule.values !== undefined) {
      item.values = requireArray(`${at}.values`, rule.values).map((v, j) => {
        if (typeof v !== 'string') throw new ValidationError(`${at}.values[${j}]`, 'a string');
        return v;
      });
    }
    items.push(item);
  });
  return JSON.stringify(items);
}

/**
 * A filter for countSamples or listSamples: `ids` and `excludeIds` are refused (the operations
 * have no such parameter), the rest as `serializeFilter`.
 */
export function serializeReadFilter(field: string, value: unknown, operationId: string): ReadWireFilter {
  if (value !== undefined) {
    const filter = requireObject(field, value);
    for (const key of READ_FILTERS_LACK) {
      if (filter[key] !== undefined) {
        throw new ValidationError(
          `${field}.${key}`,
          `a filter ${operationId} has (every filter but ids and excludeIds)`,
          `${operationId} has no ${key} parameter`,
        );
      }
    }
  }
  return serializeFilter(field, value);
}

/** Checks a filter and returns its wire form: every value a string or number, as the spec says. */
export function serializeFilter(field: string, value: unknown): Omit<ClearMetadataQuery, 'category'> {
  if (value === undefined) return {};
  const filter = requireObject(field, value);
  rejectUnknownKeys(field, filter, KNOWN);
  const wire: Record<string, string | number> = {};
  for (const [key, v] of Object.entries(filter)) {
    if (v === undefined) continue;
    const at = `${field}.${key}`;
    switch (key as Rewritten | ScalarKey) {
      case 'labels':
        wire[key] = labelList(at, v);
        break;
      case 'ids':
      case 'excludeIds':
        wire[key] = idList(at, v);
        break;
      case 'minDate':
      case 'maxDate':
        wire[key] = requireDate(at, v);
        break;
      case 'metadata':
        wire[key] = serializeMetadataFilter(at, v);
        break;
      default:
        wire[key] = SCALARS[key as ScalarKey](at, v);
    }
  }
  return wire as Omit<ClearMetadataQuery, 'category'>;
}
