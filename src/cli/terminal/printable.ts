/**
 * Text from outside the CLI (an answer's `errorMessage`, a file ID read from the input) made safe
 * to print on a terminal: C0 and C1 control characters (ESC, CR, BEL, CSI...) and the Unicode
 * controls that reorder or hide text (bidi overrides and isolates, zero-width marks) are written
 * as `\xNN` / `\u{NNNN}` escapes, so nothing from a server or a file can move the cursor, rewrite
 * the operator's screen or make one ID look like another. `--json` needs no such step: JSON
 * escapes them itself.
 */

// C0 (but not the tab), DEL, C1; soft hyphen; zero-width and bidi marks; line and paragraph separators; BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it finds
const UNPRINTABLE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.codePointAt(0) as number;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
