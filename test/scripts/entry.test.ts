/**
 * The one runner of the pipeline's entries (scripts/entry.ts): every entry answers --help with
 * its usage line, refuses an unknown flag or a missing value with exit 2 and that line, and
 * reports a failure with its name and exit 1 (messages are prefixed with the npm script's name).
 */
import { runScript } from '../helpers/workspace.js';

const ENTRIES = [
  { entry: 'generate', script: 'generate' },
  { entry: 'lint-specs', script: 'lint:specs' },
  { entry: 'specs-update', script: 'specs:update' },
  { entry: 'extract-page', script: 'specs:extract' },
  { entry: 'extract-operation', script: 'specs:extract-operation' },
];

describe.each(ENTRIES)('$entry', ({ entry, script }) => {
  it('--help prints its usage line and exits 0', async () => {
    const result = await runScript(entry, ['--help']);
    expect(result.stdout).toMatch(new RegExp(`^usage: npm run ${script} `));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('an unknown flag is refused with exit 2 and the usage line, naming the flag', async () => {
    const result = await runScript(entry, ['--no-such-flag']);
    expect(result.stderr).toMatch(
      new RegExp(`^${script}: unknown option '--no-such-flag'\\nusage: npm run ${script} `),
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  it('a flag without its value is refused the same way', async () => {
    const result = await runScript(entry, ['--root']);
    expect(result.stderr).toMatch(new RegExp(`^${script}: option '--root <value>' argument missing\\nusage: `));
    expect(result.code).toBe(2);
  });
});

it('a failure names the entry and exits 1', async () => {
  const result = await runScript('lint-specs', ['--root', '/nonexistent-metaclear-root']);
  expect(result.stderr).toMatch(/^lint:specs: \/nonexistent-metaclear-root\/redocly\.yaml: not found/);
  expect(result.code).toBe(1);
});
