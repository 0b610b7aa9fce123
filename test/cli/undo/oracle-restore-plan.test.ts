/**
 * The plan of an Oracle restore (which entry of a file is applied, with which values), worked out
 * from a backup file on disk: over 30,000 files, a few backed up more than once, with and without
 * the outcome of their clear; and backups whose outcome lines do not match their entries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../src/cli/errors.js';
import { openBackup, oracleEntry } from '../../../src/cli/undo/backup-file.js';
import { planRestore } from '../../../src/cli/undo/oracle-restore-plan.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'metaclear-plan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = JSON.stringify({
  metaclear: 'backup',
  version: 2,
  api: 'oracle-documents',
  baseUrl: 'https://tenant.example.com/documents/api/1.1',
  target: { collection: 'C', fields: ['A', 'B'] },
  created: '2026-12-07T00:00:00.000Z',
});

/** Writes the backup, plans it, and returns the values each entry line is applied with (undefined: not applied). */
async function plan(lines: object[]): Promise<Map<number, unknown>> {
  const text = `${[HEADER, ...lines.map((l) => JSON.stringify(l))].join('\n')}\n`;
  writeFileSync(join(dir, 'b.jsonl'), text);
  const backup = await openBackup('b.jsonl', dir);
  const planned = await planRestore(backup, Buffer.byteLength(text), (raw, line) => oracleEntry('b.jsonl', raw, line));
  const applied = new Map<number, unknown>();
  for await (const { entry, line } of backup.entries()) {
    if ('clear' in (entry as object)) continue;
    applied.set(line, planned.valuesAt(line, oracleEntry('b.jsonl', entry, line)));
  }
  return applied;
}

it('30,000 files: each applied once, with its own values; the repeated ones merged in order, refused ones not applied', async () => {
  const lines: object[] = [];
  const at = new Map<string, number[]>();
  const entry = (fileId: string, values: Record<string, string>) => {
    lines.push({ fileId, values });
    const line = lines.length + 1;
    at.set(fileId, [...(at.get(fileId) ?? []), line]);
    return line;
  };
  const outcome = (clear: 'done' | 'refused', line: number, fileId: string) => lines.push({ clear, line, fileId });
  for (let i = 0; i < 30_000; i++) {
    const id = `F${i}`;
    outcome('done', entry(id, { A: `a${i}` }), id);
    if (i === 100) outcome('refused', entry('REFUSED-THEN-DONE', { A: 'old', B: 'b' }), 'REFUSED-THEN-DONE');
    if (i === 200) entry('KILLED', { A: 'first', B: 'first-b' }); // no outcome: the run was killed
    if (i === 300) outcome('refused', entry('ONLY-REFUSED', { A: 'never cleared' }), 'ONLY-REFUSED');
    if (i === 400) outcome('done', entry('THRICE', { A: '1', B: '1' }), 'THRICE');
  }
  outcome('done', entry('REFUSED-THEN-DONE', { A: 'edited', B: 'b' }), 'REFUSED-THEN-DONE');
  outcome('done', entry('KILLED', { A: 'edited' }), 'KILLED');
  outcome('done', entry('THRICE', { B: '2' }), 'THRICE');
  outcome('refused', entry('THRICE', { A: '3', B: '3' }), 'THRICE');

  const applied = await plan(lines);
  for (let i = 0; i < 30_000; i += 997) expect(applied.get(at.get(`F${i}`)?.[0] as number)).toEqual({ A: `a${i}` });
  const appliedAt = (id: string) => (at.get(id) ?? []).map((line) => applied.get(line));
  expect(appliedAt('REFUSED-THEN-DONE')).toEqual([undefined, { A: 'edited', B: 'b' }]);
  expect(appliedAt('KILLED')).toEqual([undefined, { A: 'edited', B: 'first-b' }]);
  expect(appliedAt('ONLY-REFUSED')).toEqual([undefined]);
  expect(appliedAt('THRICE')).toEqual([undefined, { A: '1', B: '2' }, undefined]);
  // Every file's entries: exactly one applied, except the file whose only clear was refused.
  for (const [id, entryLines] of at) {
    const count = entryLines.filter((line) => applied.get(line) !== undefined).length;
    expect([id, count]).toEqual([id, id === 'ONLY-REFUSED' ? 0 : 1]);
  }
});

it('an outcome line naming a line that is not an entry, or another file’s entry, is refused (exit 2) with the line', async () => {
  const notAnEntry = plan([
    { fileId: 'F', values: { A: 'a' } },
    { clear: 'done', line: 2, fileId: 'F' },
    { clear: 'refused', line: 3, fileId: 'F' },
  ]);
  await expect(notAnEntry).rejects.toThrow(UsageError);
  await expect(notAnEntry).rejects.toThrow('b.jsonl: an outcome line names line 3, which is not an entry');
  await expect(
    plan([
      { fileId: 'F', values: { A: 'a' } },
      { clear: 'refused', line: 2, fileId: 'G' },
    ]),
  ).rejects.toThrow('an outcome line names line 2 as the entry of file "G"; that line is the entry of "F"');
  await expect(
    plan([
      { fileId: 'F', values: { A: 'a' } },
      { clear: 'maybe', line: 2, fileId: 'F' },
    ]),
  ).rejects.toThrow('b.jsonl: line 3 is not the outcome of a clear');
});
