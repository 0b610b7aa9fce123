/**
 * The sample filters of `edge-impulse clear-metadata` as flags, one per filter of the facade, and
 * the facade's `SampleFilter` they make. Values are passed on as typed; the facade checks them.
 */
import { type Command, Option } from 'commander';
import { allOf } from '../../core/enum.js';
import type { MetadataFilter, MetadataRule, SampleFilter } from '../../index.js';
import type { FieldFlags } from '../errors.js';
import {
  boundedText,
  collect,
  metadataRule,
  parseDate,
  parseInteger,
  parseIntegerList,
  parseNumber,
} from '../parsers.js';

type Choices<K extends keyof SampleFilter> = NonNullable<SampleFilter[K]>;

// Exhaustive lists of the generated unions: a spec change to them fails `tsc` here.
const SIGNATURE_VALIDITY = allOf<Choices<'signatureValidity'>>()(['both', 'valid', 'invalid']);
const INCLUDE_DISABLED = allOf<Choices<'includeDisabled'>>()(['both', 'enabled', 'disabled']);
const DATA_TYPES = allOf<Choices<'dataType'>>()(['audio', 'image']);
const COMBINATORS = allOf<NonNullable<MetadataFilter['combinator']>>()(['and', 'or']);

/** What commander parses the filter flags into. */
export interface FilterFlags {
  label?: string[];
  ids?: number[];
  excludeIds?: number[];
  filename?: string;
  minLength?: number;
  maxLength?: number;
  minFrequency?: number;
  maxFrequency?: number;
  signatureValidity?: Choices<'signatureValidity'>;
  includeDisabled?: Choices<'includeDisabled'>;
  minLabel?: number;
  maxLabel?: number;
  search?: string;
  dataType?: Choices<'dataType'>;
  minId?: number;
  maxId?: number;
  minDate?: string;
  maxDate?: string;
  metadata?: MetadataRule[];
  metadataNot?: MetadataRule[];
  combinator?: NonNullable<MetadataFilter['combinator']>;
  includeSamplesWithoutMetadata?: true;
}

/** The facade's field for each flag, to report its ValidationError against the flag. */
export const FILTER_FIELD_FLAGS: FieldFlags = {
  'filter.labels': '--label',
  'filter.ids': '--ids',
  'filter.excludeIds': '--exclude-ids',
  'filter.filename': '--filename',
  'filter.minLength': '--min-length',
  'filter.maxLength': '--max-length',
  'filter.minFrequency': '--min-frequency',
  'filter.maxFrequency': '--max-frequency',
  'filter.signatureValidity': '--signature-validity',
  'filter.includeDisabled': '--include-disabled',
  'filter.minLabel': '--min-label',
  'filter.maxLabel': '--max-label',
  'filter.search': '--search',
  'filter.dataType': '--data-type',
  'filter.minId': '--min-id',
  'filter.maxId': '--max-id',
  'filter.minDate': '--min-date',
  'filter.maxDate': '--max-date',
  'filter.metadata': '--metadata/--metadata-not',
  'filter.metadata.combinator': '--combinator',
  'filter.metadata.noMetadata': '--include-samples-without-metadata',
};

const GROUP = 'Sample filters (a sample must match every filter given):';

export function addFilterOptions(command: Command): Command {
  const add = (option: Option): void => {
    command.addOption(option.helpGroup(GROUP));
  };
  add(
    new Option('--label <label>', 'samples with this label (repeatable: any of them)').argParser(collect(boundedText)),
  );
  add(new Option('--ids <ids>', 'samples with one of these IDs, e.g. 1,2,3').argParser(parseIntegerList));
  add(new Option('--exclude-ids <ids>', 'samples with none of these IDs, e.g. 4,5').argParser(parseIntegerList));
  add(new Option('--filename <text>', 'samples whose file name includes this text').argParser(boundedText));
  add(new Option('--min-length <ms>', 'samples longer than this, in milliseconds').argParser(parseInteger));
  add(new Option('--max-length <ms>', 'samples shorter than this, in milliseconds').argParser(parseInteger));
  add(new Option('--min-frequency <hz>', 'samples with a frequency above this, in hertz').argParser(parseNumber));
  add(new Option('--max-frequency <hz>', 'samples with a frequency below this, in hertz').argParser(parseNumber));
  add(new Option('--signature-validity <which>', 'samples by signature').choices(SIGNATURE_VALIDITY));
  add(new Option('--include-disabled <which>', 'enabled or disabled samples, or both').choices(INCLUDE_DISABLED));
  add(new Option('--min-label <n>', 'samples whose (numeric) label is >= n').argParser(parseNumber));
  add(new Option('--max-label <n>', 'samples whose (numeric) label is < n').argParser(parseNumber));
  add(new Option('--search <query>', 'search query').argParser(boundedText));
  add(new Option('--data-type <type>', 'samples of this data type').choices(DATA_TYPES));
  add(new Option('--min-id <id>', 'samples whose ID is >= this').argParser(parseInteger));
  add(new Option('--max-id <id>', 'samples whose ID is < this').argParser(parseInteger));
  add(
    new Option('--min-date <iso>', 'samples added after this ISO 8601 date-time, e.g. 2024-01-01T00:00:00Z').argParser(
      parseDate,
    ),
  );
  add(new Option('--max-date <iso>', 'samples added before this ISO 8601 date-time').argParser(parseDate));
  add(
    new Option(
      '--metadata <rule>',
      'samples whose metadata key has one of these values: key=v1,v2 (just key: any value; no empty value); repeatable',
    ).argParser(collect(metadataRule('eq'))),
  );
  add(
    new Option(
      '--metadata-not <rule>',
      'samples whose metadata key has none of these values: key=v1,v2 (just key: without the key); repeatable',
    ).argParser(collect(metadataRule('neq'))),
  );
  add(new Option('--combinator <how>', 'metadata rules: all must match (and) or any may (or)').choices(COMBINATORS));
  add(
    new Option(
      '--include-samples-without-metadata',
      'with the metadata rules, also match samples that have no metadata at all',
    ),
  );
  return command;
}

/** The metadata filter, when any of its flags was given. */
function metadataFilter(flags: FilterFlags): MetadataFilter | undefined {
  const rules = [...(flags.metadata ?? []), ...(flags.metadataNot ?? [])];
  if (rules.length === 0 && flags.combinator === undefined && !flags.includeSamplesWithoutMetadata) return undefined;
  return {
    rules,
    ...(flags.combinator !== undefined ? { combinator: flags.combinator } : {}),
    ...(flags.includeSamplesWithoutMetadata ? { noMetadata: true } : {}),
  };
}

/** Flags whose value the facade takes as it is, under the same name. */
const AS_IS = [
  'ids',
  'excludeIds',
  'filename',
  'minLength',
  'maxLength',
  'minFrequency',
  'maxFrequency',
  'signatureValidity',
  'includeDisabled',
  'minLabel',
  'maxLabel',
  'search',
  'dataType',
  'minId',
  'maxId',
  'minDate',
  'maxDate',
] as const satisfies readonly (keyof FilterFlags & keyof SampleFilter)[];

/** A filter the facade gains and the CLI has no flag for fails `tsc` here. */
type Uncovered = Exclude<keyof SampleFilter, (typeof AS_IS)[number] | 'labels' | 'metadata'>;
export const EVERY_FILTER_HAS_A_FLAG: [Uncovered] extends [never] ? true : { missing: Uncovered } = true;

/** The facade's filter from the flags; undefined when no filter flag was given (every sample of the category). */
export function filterFrom(flags: FilterFlags): SampleFilter | undefined {
  const filter: SampleFilter = {};
  for (const key of AS_IS) {
    if (flags[key] !== undefined) Object.assign(filter, { [key]: flags[key] });
  }
  if (flags.label !== undefined) filter.labels = flags.label;
  const metadata = metadataFilter(flags);
  if (metadata !== undefined) filter.metadata = metadata;
  return Object.keys(filter).length > 0 ? filter : undefined;
}
