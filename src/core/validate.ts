/** Input checks shared by the clients. Each throws a ValidationError naming the field. */
import { ValidationError } from './errors.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

export function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, 'an object', `got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A non-empty string without control characters (no CR/LF: values may become headers). */
export function requireText(field: string, value: unknown, expected = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(field, expected, `got ${describe(value)}`);
  }
  if (CONTROL.test(value)) throw new ValidationError(field, expected, 'contains a control character');
  return value;
}

export function requireInteger(field: string, value: unknown, min = Number.MIN_SAFE_INTEGER): number {
  const expected = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : 'an integer';
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationError(field, expected, `got ${typeof value === 'number' ? value : describe(value)}`);
  }
  if (value < min) throw new ValidationError(field, expected, `got ${value}`);
  return value;
}

export function requireFiniteNumber(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, 'a finite number', `got ${typeof value === 'number' ? value : describe(value)}`);
  }
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    const got = typeof value === 'string' ? JSON.stringify(value) : describe(value);
    throw new ValidationError(field, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, `got ${got}`);
  }
  return value as T;
}

export function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, 'a boolean', `got ${describe(value)}`);
  return value;
}

export function requireArray(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(field, 'an array', `got ${describe(value)}`);
  return value;
}

/** A Date or a date-time string, as the ISO 8601 string the wire form wants. */
export function requireDate(field: string, value: unknown): string {
  const expected = 'a valid Date or an ISO 8601 date-time string';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ValidationError(field, expected, 'got an invalid Date');
    return value.toISOString();
  }
  if (typeof value !== 'string') throw new ValidationError(field, expected, `got ${describe(value)}`);
  const time = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(time)) throw new ValidationError(field, expected, `got ${JSON.stringify(value.slice(0, 40))}`);
  return new Date(time).toISOString();
}

/** Refuses keys the caller did not mean (a typo would otherwise be silently ignored). */
export function rejectUnknownKeys(field: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new ValidationError(`${field}.${key}`, `one of the known keys ${known.join(', ')}`, 'unknown key');
    }
  }
}
