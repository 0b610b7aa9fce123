/** A throw-away copy of the pipeline's inputs and outputs, and a way to run the pipeline's entries on it. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { listFiles, sha256 } from '../../scripts/files.js';

export const REPO = resolve(__dirname, '..', '..');
const run = promisify(execFile);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The entries package.json runs through scripts/launch.mjs (compiled JavaScript); the others run with tsx. */
const LAUNCHED = new Set(['generate', 'lint-specs', 'specs-update', 'extract-page', 'extract-operation']);

/** Runs a pipeline entry (scripts/<name>.ts) in a child Node process, the way its `npm run` script does. */
export async function runScript(
  name: string,
  args: string[],
  cwd = REPO,
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      LAUNCHED.has(name)
        ? ['--max-semi-space-size=8', join(REPO, 'scripts', 'launch.mjs'), name, ...args]
        : ['--import', 'tsx', join(REPO, 'scripts', `${name}.ts`), ...args],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), 'metaclear-ws-'));

  constructor() {
    for (const entry of ['specs', 'generated', 'redocly.yaml', '.redocly.lint-ignore.yaml']) {
      cpSync(join(REPO, entry), join(this.root, entry), { recursive: true });
    }
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  write(relative: string, content: string): void {
    writeFileSync(this.path(relative), content);
  }

  /** Replaces one exact occurrence of `find` in a file; fails loudly if it is not there once. */
  edit(relative: string, find: string, replace: string): void {
    const text = this.read(relative);
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`${relative}: expected exactly one "${find}", found ${count}`);
    this.write(relative, text.replace(find, replace));
  }

  /** Every file under `dir` (relative to the workspace) with the hash of its content. */
  snapshot(dir = '.'): Record<string, string> {
    const base = this.path(dir);
    return Object.fromEntries(listFiles(base).map((f) => [f, sha256(readFileSync(join(base, f)))]));
  }

  generate(...args: string[]): Promise<RunResult> {
    return runScript('generate', ['--root', this.root, ...args]);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
