/** Extra headers given by the caller: checked so that none can smuggle a line break. */
import { ValidationError } from './errors.js';
import { requireObject, requireText } from './validate.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function requireHeaders(field: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const headers = requireObject(field, value);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw new ValidationError(`${field}[${JSON.stringify(name)}]`, 'a valid HTTP header name');
    out[name] = requireText(`${field}[${JSON.stringify(name)}]`, v, 'a header value without control characters');
  }
  return out;
}
