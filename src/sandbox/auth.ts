/**
 * Authentication by the security schemes the spec declares: the sandbox reads where each scheme
 * carries its credential (header, cookie, query, Authorization) and accepts any non-empty value.
 * It checks presence here; validity (Oracle's registered users, presentedSecret below) and who may
 * do what (Oracle's file roles) are each API's business.
 */
import type { Credential } from './recorded-request.js';

/** The parts of an OpenAPI security scheme object this module reads. */
interface SecurityScheme {
  type?: string;
  in?: string;
  name?: string;
  scheme?: string;
}

export interface CredentialSources {
  headers: Record<string, string>;
  cookies: Record<string, string | undefined>;
  query: Record<string, unknown>;
}

function authorization(headers: Record<string, string>, scheme: string): string | undefined {
  const match = /^(\S+)\s+(.+)$/.exec(headers.authorization ?? '');
  if (!match || match[1]?.toLowerCase() !== scheme) return undefined;
  const value = match[2]?.trim();
  return value ? value : undefined;
}

/** The user name and password of HTTP Basic credentials (all user name, when it has no colon). */
function basicPair(token: string): { user: string; password: string } {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0
    ? { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
    : { user: decoded, password: '' };
}

function basicUser(token: string): string {
  return basicPair(token).user;
}

/**
 * The secret of the Authorization header a credential came from, for an API that checks it:
 * Basic's user and password, or a bearer token. Kept out of the recorded Credential (never a secret).
 */
export function presentedSecret(
  credential: Credential,
  headers: Record<string, string>,
): { user: string; password: string } | { token: string } | undefined {
  if (credential.source === 'header authorization (Basic)') {
    const token = authorization(headers, 'basic');
    return token === undefined ? undefined : basicPair(token);
  }
  if (credential.source === 'header authorization (Bearer)') {
    const token = authorization(headers, 'bearer');
    return token === undefined ? undefined : { token };
  }
  return undefined;
}

function credentialFor(name: string, scheme: SecurityScheme, sources: CredentialSources): Credential | undefined {
  if (scheme.type === 'apiKey' && scheme.name) {
    const value =
      scheme.in === 'header'
        ? sources.headers[scheme.name.toLowerCase()]
        : scheme.in === 'cookie'
          ? sources.cookies[scheme.name]
          : scheme.in === 'query'
            ? sources.query[scheme.name]
            : undefined;
    return typeof value === 'string' && value !== ''
      ? { scheme: name, source: `${scheme.in} ${scheme.name}`, identity: value }
      : undefined;
  }
  if (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'basic') {
    const token = authorization(sources.headers, 'basic');
    return token ? { scheme: name, source: 'header authorization (Basic)', identity: basicUser(token) } : undefined;
  }
  // http bearer, and OAuth2 / OpenID Connect access tokens, which travel as bearer tokens.
  if (
    (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer') ||
    scheme.type === 'oauth2' ||
    scheme.type === 'openIdConnect'
  ) {
    const token = authorization(sources.headers, 'bearer');
    return token ? { scheme: name, source: 'header authorization (Bearer)', identity: token } : undefined;
  }
  return undefined;
}

/**
 * The first security requirement of the operation (in spec order) whose schemes all carry a
 * credential; its first scheme names the credential. Empty requirements (`{}`) are skipped:
 * what an anonymous request may do is for the caller to decide.
 */
export function findCredential(
  schemes: Record<string, unknown>,
  requirements: ReadonlyArray<Record<string, unknown>>,
  sources: CredentialSources,
): Credential | undefined {
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (names.length === 0) continue;
    const found = names.map((name) => credentialFor(name, (schemes[name] ?? {}) as SecurityScheme, sources));
    if (found.every((c) => c !== undefined)) return found[0];
  }
  return undefined;
}

/** An operation's security requirements (openapi-backend has merged in the spec-wide ones). */
export function securityRequirements(operation: { security?: unknown }): Array<Record<string, unknown>> {
  return Array.isArray(operation.security) ? (operation.security as Array<Record<string, unknown>>) : [];
}
