/**
 * The pipeline chapter's CI gate session ("The CI gate, and a version that follows the API"), run as
 * written in a repository whose `origin/main` holds the committed tree and whose branch drops
 * a value of `includeDisabled`, regenerated and committed: every command's output (stdout,
 * then stderr) and every `echo $?` must be what the chapter shows, the run times aside.
 * `npm run generate -- <args>` runs what npm runs (`node scripts/launch.mjs generate`) without
 * npm's banner; any other command runs in a shell in the repository.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sectionOf } from '../helpers/docs.js';
import { REPO, type RunResult, Workspace } from '../helpers/workspace.js';

const run = promisify(execFile);
const section = sectionOf('docs/pipeline.md', '### The CI gate, and a version that follows the API');
const session = /```console\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

interface Step {
  command: string;
  output: string;
}

function steps(text: string): Step[] {
  const out: Step[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('$ ')) out.push({ command: line.slice(2), output: '' });
    else if (out.length > 0) (out.at(-1) as Step).output += `${line}\n`;
  }
  return out.map((s) => ({ ...s, output: s.output.replace(/\n+$/, '\n').replace(/^\n$/, '') }));
}

const ENV = {
  ...process.env,
  NO_COLOR: '1',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

async function exec(file: string, args: string[], cwd: string): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: ENV, maxBuffer: 16 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const timesAside = (text: string): string => text.replace(/\((\d+) files, [\d.]+s\)/g, '($1 files, …s)');

let ws: Workspace;
beforeAll(async () => {
  ws = new Workspace();
  ws.write('package.json', `${JSON.stringify({ name: 'metaclear', version: '0.1.0' }, null, 2)}\n`);
  const git = (...args: string[]): Promise<RunResult> => exec('git', args, ws.root);
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'base');
  await git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  ws.edit(
    'specs/edge-impulse/vendor/batch-clear-metadata-by-key.yaml',
    '          - both\n          - enabled\n          - disabled\n',
    '          - both\n          - enabled\n',
  );
  expect(
    (await exec(process.execPath, [join(REPO, 'scripts', 'launch.mjs'), 'generate', '--root', ws.root], REPO)).code,
  ).toBe(0);
  await git('commit', '-q', '-a', '-m', 'includeDisabled: disabled dropped');
});
afterAll(() => ws.dispose());

it('has the session, with --check-version and --format markdown', () => {
  const commands = steps(session).map((s) => s.command);
  expect(commands).toContain('npm run generate -- --check --base origin/main --fail-on breaking --check-version');
  expect(commands).toContain('npm run generate -- --check --base origin/main --format markdown');
});

it('runs as written', async () => {
  let last = 0;
  for (const step of steps(session)) {
    let output: string;
    if (step.command === 'echo $?') {
      output = `${last}\n`;
    } else {
      const generate = /^npm run generate -- (.*)$/.exec(step.command);
      const result = generate
        ? await exec(
            process.execPath,
            [join(REPO, 'scripts', 'launch.mjs'), 'generate', '--root', ws.root, ...(generate[1] as string).split(' ')],
            REPO,
          )
        : await exec('sh', ['-c', step.command], ws.root);
      last = result.code;
      output = result.stdout + result.stderr;
    }
    expect({ command: step.command, output: timesAside(output) }).toEqual({
      command: step.command,
      output: timesAside(step.output),
    });
  }
}, 180_000);
