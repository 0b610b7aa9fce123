/** The request and response as the sandbox's API handlers see them, independent of node:http. */

export interface IncomingRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The path as received, percent-encoding intact, without the query string. */
  rawPath: string;
  /** The query string as received, without the leading "?" ("" when absent). */
  rawQuery: string;
  /** Header names lower-cased; repeated headers joined as node:http joins them. */
  headers: Record<string, string>;
  /** The body as text; undefined when the request had none. */
  bodyText: string | undefined;
}

export interface OutgoingResponse {
  status: number;
  /** Serialised as JSON unless `contentType` says otherwise (then it must be a string). */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): OutgoingResponse {
  return headers ? { status, body, headers } : { status, body };
}

/** The media type of a Content-Type or Accept entry, without parameters, lower-cased. */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
