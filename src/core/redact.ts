/** Removes known secret values from anything that may end up in an error a caller sees. */

export const REDACTED = '[redacted]';

function replaceAll(text: string, secrets: readonly string[]): string {
  let out = text;
  // Every credential, however short: a short password echoed back leaks as surely as a long one.
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * A copy of `value` in which every occurrence of a secret inside a string (keys included) is
 * replaced by "[redacted]". A server that echoes a credential back in its error body must not
 * make that credential part of an ApiError.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return replaceAll(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaceAll(k, secrets), redact(v, secrets)])) as T;
  }
  return value;
}
