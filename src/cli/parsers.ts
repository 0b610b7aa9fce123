/**
 * Option value parsers: they turn a flag's text into the type the facade takes (a number, a list,
 * a metadata rule) and refuse only text that has no such reading. Ranges and the rest are the
 * facade's to check (its ValidationError is reported against the flag).
 */
import { InvalidArgumentError } from 'commander';
import type { MetadataRule } from '../index.js';

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseInteger(value: string): number {
  if (!INTEGER.test(value.trim())) throw new InvalidArgumentError('Expected an integer.');
  return Number(value);
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
  return items.map(Number);
}

/** A repeatable option: each occurrence adds one value. */
export function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

export const text = (value: string): string => value;

/**
 * `key=v1,v2` → a rule on key with those values (trimmed); `key` alone (or `key=`) → every value
 * of the key. The key is everything before the first "=".
 */
export function metadataRule(op: MetadataRule['op']): (value: string) => MetadataRule {
  return (value) => {
    const at = value.indexOf('=');
    const key = (at < 0 ? value : value.slice(0, at)).trim();
    if (key === '') throw new InvalidArgumentError('Expected key or key=value1,value2.');
    const values =
      at < 0
        ? []
        : value
            .slice(at + 1)
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== '');
    return values.length > 0 ? { key, op, values } : { key, op };
  };
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
  if (!INTEGER.test(value.trim()) || Number(value) < 0)
    throw new InvalidArgumentError('Expected a non-negative integer.');
  return Number(value);
}
