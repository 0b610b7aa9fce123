/**
 * The sandbox chapter's examples, run as written: the library example (with `metaclear/sandbox`
 * swapped for the sources) in a Node process of its own, and `metaclear sandbox --oracle-files 400`,
 * whose printed commands must be the ones the chapter shows.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCli } from './helpers/cli.js';
import { markedBlock } from './helpers/docs.js';
import { REPO } from './helpers/workspace.js';

const TMP = join(REPO, 'test', '.readme-examples');

it('the library example runs, and closes the sandbox it started', async () => {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, 'sandbox-example.mts');
  const source = markedBlock('sandbox-library-example').text.replace(
    "from 'metaclear/sandbox'",
    `from ${JSON.stringify(join(REPO, 'src', 'sandbox', 'index.ts'))}`,
  );
  writeFileSync(file, source);
  try {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', file],
        { cwd: REPO, timeout: 45_000, killSignal: 'SIGKILL' },
        (error, _stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(result).toEqual({ code: 0, stderr: '' });
  } finally {
    rmSync(file, { force: true });
  }
});

it('--oracle-files 400 prints the commands the chapter shows', async () => {
  const lines = markedBlock('sandbox-bulk-example').text.split('\n');
  const command = (lines[0] as string).replace(/^metaclear /, '').split(' ');
  const shown = lines.filter((line) => line.startsWith('#   ')).map((line) => line.slice(4));
  expect(shown).toHaveLength(2);
  const cli = startCli([...command, '--port', '0']);
  try {
    await cli.waitForStdout(/^Stop it with Ctrl-C\.$/m);
    const printed = cli
      .stdout()
      .split('\n')
      .map((line) => line.trim());
    for (const line of shown) expect(printed).toContain(line);
  } finally {
    cli.child.kill('SIGINT');
    expect((await cli.result).code).toBe(0);
  }
});
