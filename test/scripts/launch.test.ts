/**
 * scripts/launch.mjs, which `npm run generate`, `lint:specs` and `specs:update` run: it compiles
 * scripts/ into node_modules/.cache/metaclear/scripts-<hash>/ when the sources are new or
 * changed, and runs the entry from there. Tested on a copy of the repository's scripts/, whose
 * node_modules links to the repository's packages but keeps its own .cache.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO, type RunResult, Workspace } from '../helpers/workspace.js';

const run = promisify(execFile);

let copy: string;
let ws: Workspace;
const cache = (): string => join(copy, 'node_modules', '.cache', 'metaclear');
const compiled = (): string[] => readdirSync(cache()).filter((d) => d.startsWith('scripts-'));

beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), 'metaclear-launch-'));
  cpSync(join(REPO, 'scripts'), join(copy, 'scripts'), { recursive: true });
  mkdirSync(join(copy, 'node_modules'));
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(join(REPO, 'node_modules', entry), join(copy, 'node_modules', entry));
  }
  ws = new Workspace();
});

afterEach(() => {
  rmSync(copy, { recursive: true, force: true });
  ws.dispose();
});

async function launch(...args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(copy, 'scripts', 'launch.mjs'), ...args], {
      cwd: copy,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('scripts/launch.mjs', () => {
  it('compiles on the first run, from nothing, and runs the entry with its arguments', async () => {
    expect(existsSync(cache())).toBe(false);
    const result = await launch('generate', '--check', '--root', ws.root);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/generated\/ is up to date \(4 files/);
    expect(result.code).toBe(0);
    const [folder] = compiled();
    expect(readdirSync(join(cache(), folder as string))).toEqual(
      expect.arrayContaining(['generate.js', 'pipeline.js']),
    );
  });

  it('reuses the compiled scripts while the sources are unchanged, and a no-op generate stays a no-op', async () => {
    expect((await launch('generate', '--root', ws.root)).stdout).toMatch(/already matches the specs/);
    const first = compiled();
    const again = await launch('generate', '--root', ws.root);
    expect(again.stdout).toMatch(/nothing changed since the last run; nothing written/);
    expect(compiled()).toEqual(first);
  });

  it('compiles again after a script changes, and drops the folder of the old sources', async () => {
    await launch('generate', '--check', '--root', ws.root);
    const before = compiled();
    appendFileSync(join(copy, 'scripts', 'errors.ts'), '\n// changed\n');
    const result = await launch('generate', '--check', '--root', ws.root);
    expect(result.code).toBe(0);
    const after = compiled();
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('lets runs started together compile at once: both succeed, one folder is kept', async () => {
    const results = await Promise.all([
      launch('generate', '--check', '--root', ws.root),
      launch('generate', '--check', '--root', ws.root),
    ]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(compiled()).toHaveLength(1);
    expect(readdirSync(cache()).filter((d) => d.includes('.tmp-'))).toEqual([]);
  });

  it('refuses an unknown entry with the usage', async () => {
    const result = await launch('no-such-entry');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no entry scripts\/no-such-entry\.ts\nusage: node scripts\/launch\.mjs <entry>/);
  });
});
