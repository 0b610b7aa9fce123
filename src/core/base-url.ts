/** Checks the base URL a client is created with. */
import { ValidationError } from './errors.js';

const EXPECTED = 'an absolute https:// URL without credentials, query or fragment (http:// only for loopback hosts)';

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Returns the URL without a trailing slash; refuses plain http to any host but loopback. */
export function requireBaseUrl(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(field, EXPECTED, `got ${typeof value === 'string' ? 'an empty string' : typeof value}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, EXPECTED, 'not a valid URL');
  }
  // Never echo the URL itself: it may hold a password.
  if (url.username || url.password) throw new ValidationError(field, EXPECTED, 'it contains credentials');
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    throw new ValidationError(field, EXPECTED, 'it has a query or fragment');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ValidationError(field, EXPECTED, `plain http:// to ${url.hostname} is refused; the API is HTTPS-only`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ValidationError(field, EXPECTED, `the scheme ${url.protocol} is not supported`);
  }
  return url.href.replace(/\/+$/, '');
}
