/** writeFilesAtomically: all of the files are replaced, or none is, even when a rename fails midway. */
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAtomically } from '../../scripts/files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'metaclear-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const contents = (): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

it('replaces every file and leaves nothing else behind', () => {
  writeFileSync(join(dir, 'a.yaml'), 'old a');
  writeFilesAtomically(
    new Map([
      [join(dir, 'a.yaml'), 'new a'],
      [join(dir, 'b.yaml'), 'new b'],
    ]),
  );
  expect(contents()).toEqual({ 'a.yaml': 'new a', 'b.yaml': 'new b' });
});

it('when a rename fails after others succeeded, restores every file as it was and removes its temporary files', () => {
  writeFileSync(join(dir, 'a.yaml'), 'old a');
  writeFileSync(join(dir, 'b.yaml'), 'old b');
  const failing = (from: string, to: string): void => {
    // The third file's replacement fails, after a.yaml and b.yaml were already replaced.
    if (to === join(dir, 'c.yaml')) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    renameSync(from, to);
  };
  expect(() =>
    writeFilesAtomically(
      new Map([
        [join(dir, 'a.yaml'), 'new a'],
        [join(dir, 'b.yaml'), 'new b'],
        [join(dir, 'c.yaml'), 'new c'],
      ]),
      { rename: failing },
    ),
  ).toThrow(/EIO/);
  expect(contents()).toEqual({ 'a.yaml': 'old a', 'b.yaml': 'old b' });
});
