/** Keeps credential values out of everything the CLI writes, whatever the path they took. */

export const REDACTED = '[redacted]';

/** Shorter values are not replaced: they would mangle ordinary text (the facade uses the same floor). */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  #secrets: string[] = [];

  /** Adds credential values to keep out of the output; an HTTP Basic pair adds its encoded forms too. */
  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value === undefined || value.length < MIN_SECRET_LENGTH || this.#secrets.includes(value)) continue;
      this.#secrets.push(value);
    }
    // Longest first, so that a secret containing another is replaced whole.
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  addBasic(username: string | undefined, password: string | undefined): void {
    if (username === undefined || password === undefined) return;
    const pair = `${username}:${password}`;
    this.add(password, pair, Buffer.from(pair, 'utf8').toString('base64'));
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
}
