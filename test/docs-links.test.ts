/**
 * Every link between the project's documents leads somewhere: a relative link names a file of the
 * repository, and its `#anchor`, if any, a heading of that file (as GitHub makes anchors of
 * headings). Links to the web are not followed, nor links into a folder the repository ignores
 * (the API reference pages `npm run docs` writes).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { REPO } from './helpers/workspace.js';

const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  'BENCHMARKS.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Folders the repository ignores (.gitignore): what a script writes there (`npm run docs`) is linked, not committed. */
const IGNORED = readFileSync(join(REPO, '.gitignore'), 'utf8')
  .split('\n')
  .filter((line) => line.endsWith('/') && !line.startsWith('#'))
  .map((line) => line.replace(/^\//, ''));

/** The anchors GitHub gives a Markdown file's headings (a repeated one gets -1, -2, …). */
function anchorsOf(path: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const slug = (heading[1] as string)
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The relative links of a document, outside code blocks and code spans. */
function linksOf(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

it.each(DOCUMENTS)('%s: every relative link names a file of the repository and a heading in it', (document) => {
  const broken: string[] = [];
  for (const target of linksOf(readFileSync(join(REPO, document), 'utf8'))) {
    const [file, anchor] = target.split('#') as [string, string | undefined];
    const path = file === '' ? join(REPO, document) : join(REPO, dirname(document), decodeURI(file));
    if (IGNORED.some((folder) => relative(REPO, path).startsWith(folder))) continue;
    if (!existsSync(path)) {
      broken.push(`${target}: no file ${relative(REPO, path)}`);
    } else if (anchor !== undefined && path.endsWith('.md') && !anchorsOf(path).has(anchor)) {
      broken.push(`${target}: no heading with the anchor #${anchor} in ${relative(REPO, path)}`);
    }
  }
  expect(broken).toEqual([]);
});
