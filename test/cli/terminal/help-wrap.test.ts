/**
 * Every command's --help fits 80 columns (the built CLI, as an operator runs it), and the wrapping
 * keeps paragraphs whole, rows under their text, and example commands runnable.
 */
import { wrapHelp } from '../../../src/cli/terminal/help-wrap.js';
import { runCli } from '../../helpers/cli.js';

it.each([
  [[]],
  [['edge-impulse', 'clear-metadata']],
  [['edge-impulse', 'job-status']],
  [['edge-impulse', 'restore']],
  [['oracle', 'delete-metadata']],
  [['oracle', 'restore']],
  [['restore']],
  [['sandbox']],
])('metaclear %s --help: no line longer than 80 columns', async (command) => {
  const run = await runCli([...command, '--help']);
  expect(run.code).toBe(0);
  const long = run.stdout.split('\n').filter((line) => line.length > 80);
  expect(long).toEqual([]);
});

it('reflows a paragraph written wider, and leaves lines that fit as they are', () => {
  const paragraph = `${'word '.repeat(20).trim()}\n${'more '.repeat(10).trim()}`;
  const wrapped = wrapHelp(`Options:\n  -x  short\n\n${paragraph}\n`, 40);
  expect(wrapped.startsWith('Options:\n  -x  short\n\n')).toBe(true);
  const lines = wrapped.split('\n').slice(3, -1);
  expect(lines.every((line) => line.length <= 40)).toBe(true);
  expect(lines.join(' ')).toBe(paragraph.replace('\n', ' '));
});

it('wraps a comment as a comment, and a command already continued line by line', () => {
  const wrapped = wrapHelp(
    '  # the key on training samples labelled idle or snake, added in 2024\n' +
      '  metaclear edge-impulse clear-metadata --project 1 \\\n' +
      '    --label idle --label snake --min-date 2024-01-01T00:00:00Z\n',
    50,
  );
  expect(wrapped).toBe(
    '  # the key on training samples labelled idle or\n' +
      '  # snake, added in 2024\n' +
      '  metaclear edge-impulse clear-metadata \\\n' +
      '      --project 1 \\\n' +
      '    --label idle --label snake --min-date \\\n' +
      '        2024-01-01T00:00:00Z\n',
  );
});

it('keeps a row under its text, and an example command runnable with a trailing backslash', () => {
  const wrapped = wrapHelp(
    `  3    entries left undone, none failed: a field changed since the backup\n  metaclear oracle restore backup.jsonl --journal restore.journal --json\n`,
    50,
  );
  expect(wrapped).toBe(
    '  3    entries left undone, none failed: a field\n' +
      '       changed since the backup\n' +
      '  metaclear oracle restore backup.jsonl \\\n' +
      '      --journal restore.journal --json\n',
  );
});
