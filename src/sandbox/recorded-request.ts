/** What the sandbox remembers of every request it received, for tests to assert on. */

/** The APIs the sandbox serves, named as their folders under generated/. */
export type SandboxApi = 'edge-impulse' | 'oracle-documents';

/** The credential that authenticated a request. */
export interface Credential {
  /**
   * The security scheme that matched, named as in the spec (`ApiKeyAuthentication`,
   * `JWTAuthentication`, `JWTHttpHeaderAuthentication`, `OAuth2`, `basicAuth`, `bearerAuth`),
   * or `applink` for Oracle's appLinkID + accessToken headers.
   */
  scheme: string;
  /** Where it was found, e.g. `header x-api-key`, `cookie jwt`, `header authorization (Bearer)`. */
  source: string;
  /** The caller: the Basic user name, the bearer token or API key itself, or the applink ID. */
  identity: string;
}

export interface RecordedRequest {
  method: string;
  /** The path exactly as received (percent-encoding intact), without the query string. */
  path: string;
  /** Query parameters, decoded (URLSearchParams semantics; a repeated name keeps its last value). */
  query: Record<string, string>;
  /** The query string as received, without "?". */
  rawQuery: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON when the body parses as JSON, else the raw text; undefined when empty. */
  body: unknown;
  /** The API the path belongs to, if any. */
  api?: SandboxApi;
  /** The operation the request was routed to, once routed. */
  operationId?: string;
  /** The credential that authenticated it, once authenticated. */
  credential?: Credential;
  /** The status the sandbox answered with. */
  status?: number;
}

export function recordRequest(
  method: string,
  rawPath: string,
  rawQuery: string,
  headers: Record<string, string>,
  bodyText: string | undefined,
): RecordedRequest {
  let body: unknown;
  if (bodyText !== undefined && bodyText !== '') {
    try {
      body = JSON.parse(bodyText);
    } catch {
      body = bodyText;
    }
  }
  return {
    method,
    path: rawPath,
    query: Object.fromEntries(new URLSearchParams(rawQuery)),
    rawQuery,
    headers,
    body,
  };
}
