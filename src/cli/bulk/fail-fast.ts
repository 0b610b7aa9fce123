/**
 * Failures no file can survive: an answer that refuses the credential itself (HTTP 401, or 403 /
 * Oracle errorCode -20, insufficient privileges) comes back for every file alike, so a wrong
 * password would otherwise send every one of a million files, and risk locking the account out.
 * After `limit` such answers in a row (in completion order) the run stops and says why.
 */
import { ApiError } from '../../index.js';

/** The default of --max-auth-failures. */
export const DEFAULT_MAX_AUTH_FAILURES = 10;

export function refusesCredential(error: Error): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 401 || error.status === 403 || String(error.vendorCode) === '-20';
}

export class CredentialRefusals {
  #inARow = 0;
  /** The cause of the last refusal (for the summary), once the limit is reached. */
  reached: string | undefined;

  /** `limit` 0: never stops. */
  constructor(readonly limit: number) {}

  /** Counts one result; true when this one reaches the limit. */
  see(error: Error | undefined, cause: string): boolean {
    if (error === undefined || !refusesCredential(error)) {
      this.#inARow = 0;
      return false;
    }
    this.#inARow++;
    if (this.limit === 0 || this.#inARow < this.limit || this.reached !== undefined) return false;
    this.reached = cause;
    return true;
  }
}
