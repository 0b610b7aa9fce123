/**
 * The `metadata` filter of Edge Impulse's batch endpoints: a JSON list of rules
 * `{ key, op: "eq" | "neq", values? }` and option objects `{ no_metadata: boolean }`,
 * `{ filters_combinator: "and" | "or" }`.
 *
 * What the spec states, and how the sandbox reads it:
 *
 * - `eq` is a positive match: the sample has the key and its value is one of `values`; with
 *   `values` omitted or empty, any value of the key matches ("matches all values for the key").
 * - `neq` is a negative match: it excludes samples whose value for the key is one of `values`;
 *   with `values` omitted or empty it excludes every sample that has the key at all ("excludes all
 *   values for the key"). Interpretation: a sample without the key is not excluded by a `neq` rule,
 *   so it satisfies the rule.
 * - `filters_combinator: "and"`: every rule must hold. Interpretation: this is also the default
 *   when no combinator is given (the spec names no default; "and" is the stricter reading and is
 *   the combinator of the spec's first example).
 * - `filters_combinator: "or"`: a sample is kept when any rule holds, and also, as the spec says,
 *   when it has a metadata key that none of the rules names ("samples with metadata keys not
 *   present in the filters are included"). Interpretation: read literally, per sample: a sample
 *   with metadata `{ foo: "bar", site: "x" }` is kept by `or` + `foo neq ["bar"]` because of its
 *   `site` key; one with only `{ foo: "bar" }` is not.
 * - `no_metadata`: "if true, include samples without any metadata". Interpretation: a sample
 *   without any metadata key is kept exactly when `no_metadata` is true, whatever the rules say,
 *   and dropped otherwise, also when the option is omitted (the spec's second example states that
 *   with `no_metadata: false` such samples "are filtered out"; the sandbox takes false as the
 *   default because the option exists to include them).
 * - With no rules, `and` keeps every sample with metadata (nothing to fail) and `or` keeps every
 *   sample with metadata (all its keys are "not present in the filters").
 * - Anything else in the list (unknown properties, a non-string key, `op` other than eq/neq,
 *   non-string values, a non-boolean `no_metadata`) is refused with a 400 naming `metadata`.
 *   When an option object is repeated, the last one wins.
 */
import { parseJsonParameter, QueryParameterError } from './json-query-parameters.js';

export interface MetadataRule {
  key: string;
  op: 'eq' | 'neq';
  /** Empty: every value of the key. */
  values: string[];
}

export interface MetadataFilter {
  rules: MetadataRule[];
  noMetadata: boolean;
  combinator: 'and' | 'or';
}

const PARAMETER = 'metadata';

function refuse(item: unknown, index: number, why: string): never {
  throw new QueryParameterError(PARAMETER, `item ${index} (${JSON.stringify(item)}) ${why}`);
}

function hasOnly(item: object, allowed: string[]): boolean {
  return Object.keys(item).every((key) => allowed.includes(key));
}

export function parseMetadataFilter(text: string): MetadataFilter {
  const list = parseJsonParameter(PARAMETER, text);
  if (!Array.isArray(list)) {
    throw new QueryParameterError(PARAMETER, 'must be a JSON array of filter items and option objects');
  }
  const filter: MetadataFilter = { rules: [], noMetadata: false, combinator: 'and' };
  list.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) refuse(item, index, 'is not an object');
    const entry = item as Record<string, unknown>;
    if ('no_metadata' in entry) {
      if (!hasOnly(entry, ['no_metadata']) || typeof entry.no_metadata !== 'boolean') {
        refuse(item, index, 'must be { "no_metadata": true | false }');
      }
      filter.noMetadata = entry.no_metadata;
    } else if ('filters_combinator' in entry) {
      if (
        !hasOnly(entry, ['filters_combinator']) ||
        (entry.filters_combinator !== 'and' && entry.filters_combinator !== 'or')
      ) {
        refuse(item, index, 'must be { "filters_combinator": "and" | "or" }');
      }
      filter.combinator = entry.filters_combinator;
    } else {
      const { key, op, values } = entry;
      if (!hasOnly(entry, ['key', 'op', 'values'])) refuse(item, index, 'has properties other than key, op, values');
      if (typeof key !== 'string' || key === '') refuse(item, index, 'needs a non-empty string "key"');
      if (op !== 'eq' && op !== 'neq') refuse(item, index, 'needs "op": "eq" or "neq"');
      if (values !== undefined && !(Array.isArray(values) && values.every((v) => typeof v === 'string'))) {
        refuse(item, index, 'has "values" that is not an array of strings');
      }
      filter.rules.push({ key, op, values: (values as string[] | undefined) ?? [] });
    }
  });
  return filter;
}

function ruleHolds(metadata: Readonly<Record<string, string>>, rule: MetadataRule): boolean {
  const has = Object.hasOwn(metadata, rule.key);
  const valueListed = has && (rule.values.length === 0 || rule.values.includes(metadata[rule.key] as string));
  return rule.op === 'eq' ? valueListed : !valueListed;
}

export function matchesMetadata(metadata: Readonly<Record<string, string>>, filter: MetadataFilter): boolean {
  const keys = Object.keys(metadata);
  if (keys.length === 0) return filter.noMetadata;
  if (filter.combinator === 'and') return filter.rules.every((rule) => ruleHolds(metadata, rule));
  const named = new Set(filter.rules.map((rule) => rule.key));
  return keys.some((key) => !named.has(key)) || filter.rules.some((rule) => ruleHolds(metadata, rule));
}
