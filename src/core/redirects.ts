/**
 * The redirect policy. A credential never leaves the origin it was given for, so only a
 * redirect to the same origin (scheme, host and port) that keeps the method and body — 307 or
 * 308 — is followed; every other one is refused with the status and the target's origin.
 */
import { RedirectRefusedError } from './transport-errors.js';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
export const DEFAULT_MAX_REDIRECTS = 5;

/** The URL to follow, or a RedirectRefusedError saying why not. */
export function redirectTarget(
  status: number,
  location: string,
  from: URL,
  followed: number,
  maxRedirects: number,
): URL | RedirectRefusedError {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return new RedirectRefusedError(status, 'an invalid location', 'the Location header is not a URL');
  }
  const origin = target.protocol === 'http:' || target.protocol === 'https:' ? target.origin : target.protocol;
  if (origin !== from.origin) {
    const why =
      from.protocol === 'https:' && target.protocol === 'http:'
        ? 'it leaves https for plain http, and credentials are never sent in clear text'
        : 'it is another origin, and credentials are never sent to another origin';
    return new RedirectRefusedError(status, origin, why);
  }
  if (status !== 307 && status !== 308) {
    return new RedirectRefusedError(status, origin, 'only 307 and 308 (same method and body) are followed');
  }
  if (followed >= maxRedirects) {
    return new RedirectRefusedError(status, origin, `more than ${maxRedirects} redirects (maxRedirects)`);
  }
  return target;
}
