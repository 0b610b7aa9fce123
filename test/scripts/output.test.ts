/**
 * replaceTree: generated/ is replaced without a moment in which it is missing. Every rename the
 * swap makes is watched: before and after each one, generated/ exists and every file in it is
 * whole (the old content or the new).
 */
import type * as FS from 'node:fs';

const fs = jest.requireActual<typeof FS>('node:fs');
const { mkdtempSync, readFileSync, rmSync } = fs;

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from '../../scripts/files.js';
import { replaceTree } from '../../scripts/output.js';

let root: string;
const generated = (): string => join(root, 'generated');
const contents = (): Record<string, string> =>
  Object.fromEntries(listFiles(generated()).map((f) => [f, readFileSync(join(generated(), f), 'utf8')]));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'metaclear-output-'));
  fs.mkdirSync(join(generated(), 'a'), { recursive: true });
  fs.mkdirSync(join(generated(), 'gone'), { recursive: true });
  fs.writeFileSync(join(generated(), 'a', 'openapi.json'), 'old a json');
  fs.writeFileSync(join(generated(), 'a', 'schema.d.ts'), 'old a types');
  fs.writeFileSync(join(generated(), 'gone', 'openapi.json'), 'old gone json');
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

const NEW = new Map([
  ['a/openapi.json', 'new a json'],
  ['a/schema.d.ts', 'new a types'],
  ['b/openapi.json', 'new b json'],
]);
const OLD: Record<string, string> = {
  'a/openapi.json': 'old a json',
  'a/schema.d.ts': 'old a types',
  'gone/openapi.json': 'old gone json',
};

it('never leaves generated/ missing, and every file seen is whole, old or new', () => {
  const seen: string[] = [];
  const check = (when: string): void => {
    expect({ when, exists: fs.existsSync(generated()) }).toEqual({ when, exists: true });
    for (const [file, content] of Object.entries(contents())) {
      if (/\.(tmp|bak)-/.test(file)) continue;
      expect([OLD[file], NEW.get(file)]).toContain(content);
    }
  };
  const rename = fs.renameSync;
  jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
    check(`before renaming ${String(from)}`);
    rename(from, to);
    seen.push(String(to));
    check(`after renaming to ${String(to)}`);
  });
  replaceTree(root, NEW);
  expect(seen.length).toBeGreaterThan(0);
  expect(contents()).toEqual(Object.fromEntries(NEW));
  expect(fs.readdirSync(root)).toEqual(['generated']);
});

it('a failed rename leaves the old tree as it was, with nothing beside it', () => {
  const rename = fs.renameSync;
  jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
    if (String(to).endsWith(join('b', 'openapi.json')))
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    rename(from, to);
  });
  expect(() => replaceTree(root, NEW)).toThrow(/EIO/);
  expect(contents()).toEqual(OLD);
  expect(fs.readdirSync(root)).toEqual(['generated']);
});
