/** The shape of one HTTP exchange, whichever stack carries it (Node's HTTP stack or a caller's fetch). */

export interface AttemptRequest {
  url: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Uint8Array | null;
  /** The same body as a string, when it was given as one (cheaper for a web Request to take). */
  text?: string;
}

export interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** The whole (decoded) body, or null for 204/304/HEAD. */
  body: Uint8Array | null;
}

/**
 * Sends one request and reads the whole answer, at most `maxAnswerBytes` of it. Must settle as
 * soon as `stop` aborts (rejecting with its reason), whatever the server does.
 */
export type Exchange = (request: AttemptRequest, maxAnswerBytes: number, stop: AbortSignal) => Promise<Answer>;

/** Whether an answer of this status, to this method, carries no body. */
export function hasNoBody(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}
