/** Credentials become headers here, and only here; they are kept out of every error and object. */
import { ValidationError } from './errors.js';
import { describe, requireObject, requireText } from './validate.js';

/** Exactly one of several credential shapes, the others impossible to pass along with it. */
export type OneOf<T extends Record<string, unknown>[]> = {
  [I in keyof T]: T[I] & { [K in Exclude<AllKeys<T>, keyof T[I]>]?: never };
}[number];
type AllKeys<T extends Record<string, unknown>[]> = T[number] extends infer U
  ? U extends unknown
    ? keyof U
    : never
  : never;

export interface AuthShape {
  /** The keys that form this shape. */
  keys: readonly string[];
  /** Headers for these credentials. */
  headers: (values: Record<string, string>) => Record<string, string>;
}

/**
 * Checks credentials against the accepted shapes and returns the headers they send.
 * Messages name the keys, never the values.
 */
export function authHeaders(field: string, value: unknown, shapes: readonly AuthShape[]): Record<string, string> {
  const expected = shapes.map((s) => `{ ${s.keys.join(', ')} }`).join(' or ');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, expected, `got ${describe(value)}`);
  }
  const given = Object.keys(requireObject(field, value)).filter(
    (k) => (value as Record<string, unknown>)[k] !== undefined,
  );
  const shape = shapes.find((s) => s.keys.length === given.length && s.keys.every((k) => given.includes(k)));
  if (!shape) {
    throw new ValidationError(
      field,
      expected,
      `got ${given.length ? `the keys ${given.join(', ')}` : 'no credential'}`,
    );
  }
  const values: Record<string, string> = {};
  for (const key of shape.keys) {
    values[key] = requireText(
      `${field}.${key}`,
      (value as Record<string, unknown>)[key],
      'a non-empty string without control characters',
    );
  }
  return shape.headers(values);
}

/** The values to keep out of errors: each credential, and each header value built from them. */
export function secretsOf(headers: Record<string, string>): string[] {
  return Object.values(headers).flatMap((value) => {
    const [scheme, rest] = value.split(' ', 2);
    if (scheme === 'Basic' && rest) {
      const decoded = Buffer.from(rest, 'base64').toString('utf8');
      return [value, rest, decoded, decoded.slice(decoded.indexOf(':') + 1)];
    }
    return scheme === 'Bearer' && rest ? [value, rest] : [value];
  });
}
