/**
 * The project's documents, as the tests that run their examples read them: the README (the front
 * page) and the chapters under docs/. An example is found by its marker comment
 * (`<!-- cli-examples … -->` before a fenced block) in whichever document holds it, so that moving
 * a section between documents never leaves its examples unrun: a marker found in no document, or
 * in two, fails the test that asks for it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './workspace.js';

/** The documents, as paths from the repository's root: README.md, then docs/*.md in name order. */
export function documents(): string[] {
  const chapters = readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...chapters];
}

export function readDocument(path: string): string {
  return readFileSync(join(REPO, path), 'utf8');
}

/** A fenced block that follows `<!-- <marker> … -->`: its text, and the document that holds it. */
export function markedBlock(marker: string): { document: string; text: string } {
  const pattern = new RegExp(`<!-- ${marker}\\b[^>]*-->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``, 'g');
  const found = documents().flatMap((document) =>
    [...readDocument(document).matchAll(pattern)].map((m) => ({ document, text: m[1] as string })),
  );
  if (found.length !== 1) {
    const where = found.map((f) => f.document).join(', ') || 'no document';
    throw new Error(`the example block "${marker}" is in ${where}; expected exactly one document to hold it once`);
  }
  return found[0] as { document: string; text: string };
}

/** A shell block's commands: `\` continuations joined, blank lines left out, each with the exit status its `# exit N` comment states (0 without one). */
export function commandsOf(block: string): { line: string; exit: number }[] {
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ line, exit: Number(/# exit (\d+)/.exec(line)?.[1] ?? 0) }));
}

/**
 * A section of a document: from its heading (`## Title`, exactly) to the next heading of the same
 * or a higher level outside a fenced block, or the end. Throws when the document has no such heading.
 */
export function sectionOf(document: string, heading: string): string {
  const lines = readDocument(document).split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`${document} has no heading "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 1;
  let fenced = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('```')) fenced = !fenced;
    const hashes = fenced ? undefined : /^(#+) /.exec(line)?.[1];
    if (hashes !== undefined && hashes.length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}
