/**
 * Authentication by the security schemes the spec declares: the sandbox reads where each scheme
 * carries its credential (header, cookie, query, Authorization) and accepts any non-empty value.
 * It checks presence, not validity; who may do what is each API's business (Oracle's file roles).
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

/** The user name of HTTP Basic credentials (the whole decoded value when it has no colon). */
function basicUser(token: string): string {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(0, colon) : decoded;
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
