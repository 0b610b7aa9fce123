/**
 * Every export of the package's entry points (`metaclear`: src/index.ts; `metaclear/sandbox`:
 * src/sandbox/index.ts) is documented somewhere a user reads: named in code (a `code span` or a
 * fenced block) in README.md or a Markdown page under docs/. The names are read by the TypeScript
 * compiler, types included, so a new export fails this test until it is documented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO } from '../helpers/workspace.js';

const ENTRIES = { metaclear: 'src/index.ts', 'metaclear/sandbox': 'src/sandbox/index.ts' };

function exportedNames(entry: string): string[] {
  const file = join(REPO, entry);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    resolveJsonModule: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`${entry}: no module symbol`);
  return checker.getExportsOfModule(symbol).map((s) => s.getName());
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** The code of a Markdown text: its fenced blocks and its code spans. */
function codeOf(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...blocks, ...spans].join('\n');
}

const documents = [join(REPO, 'README.md'), ...markdownFiles(join(REPO, 'docs'))];
const code = documents.map((file) => codeOf(readFileSync(file, 'utf8'))).join('\n');

describe.each(Object.entries(ENTRIES))('every export of %s is documented in README.md or docs/', (_name, entry) => {
  const names = exportedNames(entry);

  it('has exports (the entry was read)', () => {
    expect(names.length).toBeGreaterThan(5);
  });

  it('names each in code in the documentation', () => {
    const undocumented = names.filter(
      (name) => !new RegExp(`(^|[^\\w$])${name.replace('$', '\\$')}(?![\\w$])`).test(code),
    );
    expect(undocumented).toEqual([]);
  });
});

it('finds an undocumented name (the check can fail)', () => {
  expect(/(^|[^\w$])notDocumentedAnywhere(?![\w$])/.test(code)).toBe(false);
});
