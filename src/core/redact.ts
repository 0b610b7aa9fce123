/**
 * The one redactor, used by the clients (for whatever of an answer they copy into an error) and
 * by the CLI (for everything it writes). It replaces credential values by "[redacted]":
 *
 * - a credential of 8 characters or more wherever it occurs, and also in its percent-encoded and
 *   JSON-escaped forms (a server may echo it in a URL or inside a JSON text);
 * - a shorter one only where it stands as a whole word (not inside a longer run of letters,
 *   digits, `_` or `-`) or as a whole value, so that a test credential such as `t` or `1` never
 *   turns "Not Found" into "No[redacted] Found" or errorCode "-16" into "-[redacted]6".
 *
 * Values are copied without recursion, so an answer nested a million levels deep is no problem.
 */

export const REDACTED = '[redacted]';

/** Credentials at least this long are replaced wherever they occur; shorter ones only as whole words. */
export const LONG_SECRET_LENGTH = 8;

/** What a word is made of: an occurrence of a short credential next to one of these is part of a longer word. */
const WORD = '[\\p{L}\\p{N}_-]';

const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** The forms a server may echo a credential in: as is, percent-encoded (either case, `+` for spaces), JSON-escaped. */
function formsOf(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    percent.replace(/%20/g, '+'),
    json,
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ];
}

export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | null | undefined = null;

  constructor(secrets: Iterable<string | undefined> = []) {
    this.add(...secrets);
  }

  /** Adds credential values to keep out (empty and undefined ones are ignored). */
  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value === undefined || value === '' || this.#secrets.has(value)) continue;
      this.#secrets.add(value);
      this.#pattern = undefined;
    }
  }

  /** Adds an HTTP Basic pair: the password, `user:password` and its base64 form. */
  addBasic(username: string | undefined, password: string | undefined): void {
    if (username === undefined || password === undefined) return;
    const pair = `${username}:${password}`;
    this.add(password, pair, Buffer.from(pair, 'utf8').toString('base64'));
  }

  /** A redactor that keeps out these values as well as this one's. */
  with(...values: (string | undefined)[]): Redactor {
    const more = new Redactor(this.#secrets);
    more.add(...values);
    return more;
  }

  #compiled(): RegExp | null {
    if (this.#pattern !== undefined) return this.#pattern;
    const long = new Set<string>();
    const short = new Set<string>();
    for (const secret of this.#secrets) {
      for (const form of formsOf(secret)) (secret.length >= LONG_SECRET_LENGTH ? long : short).add(form);
    }
    // Longest first: where one credential contains another, the whole of it is replaced.
    const alternatives = (forms: Set<string>) =>
      [...forms]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|');
    const parts = [
      ...(long.size ? [`(?:${alternatives(long)})`] : []),
      ...(short.size ? [`(?<!${WORD})(?:${alternatives(short)})(?!${WORD})`] : []),
    ];
    this.#pattern = parts.length ? new RegExp(parts.join('|'), 'gu') : null;
    return this.#pattern;
  }

  /** The text with every credential replaced by "[redacted]". */
  redact(text: string): string {
    const pattern = this.#compiled();
    return pattern ? text.replace(pattern, REDACTED) : text;
  }

  /** A copy of `value` in which every string (object keys included) is redacted; no recursion. */
  value<T>(value: T): T {
    if (this.#compiled() === null) return value;
    const copies = new Map<object, unknown>();
    const pending: [object, Record<string, unknown> | unknown[]][] = [];
    const copy = (item: unknown): unknown => {
      if (typeof item === 'string') return this.redact(item);
      if (typeof item !== 'object' || item === null) return item;
      const known = copies.get(item);
      if (known !== undefined) return known;
      const shell: Record<string, unknown> | unknown[] = Array.isArray(item) ? [] : {};
      copies.set(item, shell);
      pending.push([item, shell]);
      return shell;
    };
    const root = copy(value);
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [source, target] = next;
      if (Array.isArray(target)) {
        for (const item of source as unknown[]) target.push(copy(item));
        continue;
      }
      for (const [key, item] of Object.entries(source)) {
        // defineProperty: a "__proto__" key of a parsed body stays a key, as JSON.parse made it.
        Object.defineProperty(target, this.redact(key), {
          value: copy(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return root as T;
  }
}

/** A copy of `value` with the secrets redacted (see Redactor). */
export function redact<T>(value: T, secrets: readonly string[]): T {
  return new Redactor(secrets).value(value);
}
