/**
 * The one redactor the clients and the CLI share (src/core/redact.ts): long credentials go
 * wherever they are, in their encoded forms too; short ones only as whole words or whole values,
 * so that text around them stays readable.
 */
import { LONG_SECRET_LENGTH, REDACTED, Redactor } from '../../src/core/redact.js';

describe('Redactor', () => {
  it(`replaces a credential of ${LONG_SECRET_LENGTH} characters or more anywhere, and its encoded forms`, () => {
    const secret = 'pa ss/wörd"99';
    const r = new Redactor([secret]);
    for (const form of [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      encodeURIComponent(secret).replace('%20', '+'),
      JSON.stringify(secret).slice(1, -1),
      '"pa ss/w\\u00f6rd\\"99"'.slice(1, -1),
    ]) {
      expect(r.redact(`x${form}y`)).toBe(`x${REDACTED}y`);
    }
  });

  it('replaces a shorter one only as a whole word: never inside a word, a code or a number', () => {
    const r = new Redactor(['t', '16', 'Q7z']);
    expect(r.redact('The server answered 404 Not Found: item t not found')).toBe(
      `The server answered 404 Not Found: item ${REDACTED} not found`,
    );
    expect(r.redact('errorCode -16, 160 files, x16, 16')).toBe(`errorCode -16, 160 files, x16, ${REDACTED}`);
    expect(r.redact("argument 'Q7z' is invalid; password=Q7z&x")).toBe(
      `argument '${REDACTED}' is invalid; password=${REDACTED}&x`,
    );
  });

  it('replaces the longer of two credentials that overlap, whole', () => {
    const r = new Redactor(['abc', 'abcdefgh-123']);
    expect(r.redact('key abcdefgh-123 and abc')).toBe(`key ${REDACTED} and ${REDACTED}`);
  });

  it('addBasic adds the password, the pair and its base64 form; with() adds to a copy', () => {
    const r = new Redactor();
    r.addBasic('ann', 'pw-of-ann-1');
    const pair = Buffer.from('ann:pw-of-ann-1').toString('base64');
    expect(r.redact(`Basic ${pair} ann:pw-of-ann-1 pw-of-ann-1 ann`)).toBe(
      `Basic ${REDACTED} ${REDACTED} ${REDACTED} ann`,
    );
    const more = r.with('token-of-link-2');
    expect(more.redact('token-of-link-2')).toBe(REDACTED);
    expect(r.redact('token-of-link-2')).toBe('token-of-link-2');
  });

  it('copies values with every string and key redacted, shared and circular parts included', () => {
    const shared = { note: 'k' };
    const value: Record<string, unknown> = { k: ['k', 'keep k8', shared, shared], n: 1, nil: null };
    value.self = value;
    const copy = new Redactor(['k']).value(value) as Record<string, unknown>;
    expect(copy[REDACTED]).toEqual([REDACTED, `keep k8`, { note: REDACTED }, { note: REDACTED }]);
    expect(copy.self).toBe(copy);
    expect(copy.n).toBe(1);
    expect(value.k).toEqual(['k', 'keep k8', shared, shared]);
    const parsed = JSON.parse('{"__proto__": "k"}') as object;
    expect(Object.keys(new Redactor(['k']).value(parsed))).toEqual(['__proto__']);
  });

  it('leaves everything as it is without credentials', () => {
    const value = { a: ['b'] };
    expect(new Redactor().value(value)).toBe(value);
    expect(new Redactor(['', undefined]).redact('text')).toBe('text');
  });
});
