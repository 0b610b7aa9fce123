/**
 * Option value parsers: they turn a flag's text into the type the facade takes (a number, a list,
 * a metadata rule) and refuse only text that has no such reading. Ranges and the rest are the
 * facade's to check (its ValidationError is reported against the flag).
 */
import { InvalidArgumentError } from 'commander';
import type { MetadataRule } from '../index.js';

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const SAFE_RANGE = `from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;

/** An integer that a JavaScript number holds exactly: a larger one would be sent rounded. */
export function parseInteger(value: string): number {
  if (!INTEGER.test(value.trim())) throw new InvalidArgumentError('Expected an integer.');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`Expected an integer ${SAFE_RANGE}.`);
  return n;
}

export function parseNumber(value: string): number {
  if (!NUMBER.test(value.trim())) throw new InvalidArgumentError('Expected a number.');
  return Number(value);
}

/** `1,2,3` → [1, 2, 3]. */
export function parseIntegerList(value: string): number[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => !INTEGER.test(item))) {
    throw new InvalidArgumentError('Expected comma-separated integers, e.g. 1,2,3.');
  }
  const unsafe = items.find((item) => !Number.isSafeInteger(Number(item)));
  if (unsafe !== undefined) throw new InvalidArgumentError(`${unsafe}: expected integers ${SAFE_RANGE}.`);
  return items.map(Number);
}

/** A repeatable option: each occurrence adds one value. */
export function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

export const text = (value: string): string => value;

/**
 * `key=v1,v2` → a rule on key with those values (trimmed); `key` alone → every value of the key.
 * The key is everything before the first "=". An empty value (`key=`, `k=a,,b`) is refused: it
 * has no reading that is not a guess.
 */
export function metadataRule(op: MetadataRule['op']): (value: string) => MetadataRule {
  return (value) => {
    const at = value.indexOf('=');
    const key = (at < 0 ? value : value.slice(0, at)).trim();
    if (key === '') throw new InvalidArgumentError('Expected key or key=value1,value2.');
    if (at < 0) return { key, op };
    const values = value
      .slice(at + 1)
      .split(',')
      .map((v) => v.trim());
    if (values.some((v) => v === '')) {
      throw new InvalidArgumentError(
        `${JSON.stringify(value)} has an empty value; expected key=value1,value2 with no empty value (just ${JSON.stringify(key)} for any value).`,
      );
    }
    return { key, op, values };
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * An ISO 8601 date (`2024-01-01`, midnight UTC) or date-time with its zone
 * (`2024-01-01T00:00:00Z`, `+02:00`). A date that does not exist (2024-02-30, 25:00) is refused,
 * never rolled over to another day.
 */
export function parseDate(value: string): string {
  const m = DATE.exec(value.trim());
  const expected = 'Expected an ISO 8601 date or date-time with its zone, e.g. 2024-01-01 or 2024-01-01T00:00:00Z.';
  if (!m) throw new InvalidArgumentError(expected);
  const [year, month, day, hour = 0, minute = 0, second = 0, , zoneHour = 0, zoneMinute = 0] = m
    .slice(1)
    .map((part) => (part === undefined || part === 'Z' ? undefined : Number(part)));
  const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
  if (
    (month as number) < 1 ||
    (month as number) > 12 ||
    (day as number) < 1 ||
    (day as number) > daysInMonth ||
    (hour as number) > 23 ||
    (minute as number) > 59 ||
    (second as number) > 59 ||
    (zoneHour as number) > 23 ||
    (zoneMinute as number) > 59
  ) {
    throw new InvalidArgumentError(`${value} is not a date that exists. ${expected}`);
  }
  return value.trim();
}

/** A rate: `10/s`, `10` or `0.5/s` (requests per second). */
export function parseRate(value: string): number {
  const m = /^\s*(\d+\.?\d*|\.\d+)\s*(?:\/s)?\s*$/.exec(value);
  const rate = m ? Number(m[1]) : Number.NaN;
  if (!(rate > 0 && Number.isFinite(rate))) {
    throw new InvalidArgumentError('Expected a positive number of requests per second, e.g. 10/s.');
  }
  return rate;
}

/** Flag values longer than this are refused (a 5 MB value is a mistake, never an ID or a name). */
export const MAX_VALUE_LENGTH = 1024;

/** Text as given, refused when empty or longer than MAX_VALUE_LENGTH. */
export function boundedText(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('Expected a non-empty value.');
  if (value.length > MAX_VALUE_LENGTH) {
    throw new InvalidArgumentError(`Expected at most ${MAX_VALUE_LENGTH} characters, got ${value.length}.`);
  }
  return value;
}

/** A TCP port: 0 (a free one) to 65535. */
export function parsePort(value: string): number {
  const port = INTEGER.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new InvalidArgumentError('Expected a port number from 0 to 65535.');
  return port;
}

/** A positive duration in seconds (fractions allowed), e.g. for --timeout. */
export function parseSeconds(value: string): number {
  const seconds = parseNumber(value);
  if (!(seconds > 0)) throw new InvalidArgumentError('Expected a positive number of seconds.');
  return seconds;
}

/** A count: a non-negative integer. */
export function parseCount(value: string): number {
  if (!INTEGER.test(value.trim()) || Number(value) < 0 || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError('Expected a non-negative integer.');
  return Number(value);
}
