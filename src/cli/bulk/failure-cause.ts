/**
 * Why a file of a bulk run failed, as the summary groups it and the records keep it: a short,
 * printable cause (an HTTP status, an Oracle errorCode, no answer, cancelled).
 */
import { STATUS_CODES } from 'node:http';
import { ApiError, CancelledError, NetworkError, ValidationError } from '../../index.js';
import { printable } from '../terminal/printable.js';

/** The longest piece of server text a cause keeps (an Oracle errorCode is a few characters). */
export const MAX_SERVER_TEXT = 100;

/**
 * Text from a server as a cause carries it: escaped (printable) and cut to MAX_SERVER_TEXT
 * characters, so that it is safe on a terminal and in the records, and a huge one cannot make a
 * journal line that is too long to read back.
 */
export function serverText(text: string): string {
  const cut = text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT)}…` : text;
  return printable(cut);
}

/** Why an item failed, as the summary groups it; server text in it is escaped and cut short (serverText). */
export function causeOf(error: Error): string {
  if (error instanceof CancelledError) return 'cancelled';
  if (error instanceof ApiError) {
    if (error.status < 200 || error.status > 299) {
      const reason = STATUS_CODES[error.status];
      return `HTTP ${error.status}${reason ? ` ${reason}` : ''}`;
    }
    const code = (error.body as { errorCode?: unknown } | undefined)?.errorCode;
    return typeof code === 'string' || typeof code === 'number'
      ? `errorCode ${serverText(String(code))}`
      : `HTTP ${error.status}, unusable answer`;
  }
  if (error instanceof NetworkError) return 'no answer (network)';
  if (error instanceof ValidationError) return `invalid ${error.field}`;
  return error.name;
}
