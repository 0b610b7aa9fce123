/**
 * Finding the package root, under Jest (CommonJS transform, __dirname) and under native ESM
 * (import.meta.url), the latter through the `npm run sandbox` entry run by tsx as Node runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO } from '../../src/sandbox/demo-state.js';
import { findPackageRoot } from '../../src/sandbox/index.js';
import { basic } from './http.js';

const REPO = resolve(__dirname, '..', '..');
/** tsx's loader by URL, so that the child can run from a folder outside the repository. */
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

describe('findPackageRoot', () => {
  it('finds the repository from the module itself', () => {
    expect(findPackageRoot()).toBe(REPO);
  });

  it('finds it from any folder below, e.g. a compiled dist/sandbox', () => {
    expect(findPackageRoot(join(REPO, 'dist', 'sandbox'))).toBe(REPO);
  });

  it('says where it looked when there is no package above', () => {
    const outside = mkdtempSync(join(tmpdir(), 'metaclear-'));
    try {
      expect(() => findPackageRoot(outside)).toThrow(`no metaclear package with a generated/ folder above ${outside}`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

/** Resolves with everything printed once `line` has appeared on stdout. */
function waitForOutput(child: ChildProcess, line: RegExp): Promise<string> {
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (line.test(out)) done(out);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`exited with ${code} before printing ${line}: ${out}${err}`)));
  });
}

describe('npm run sandbox (the CLI run from source by tsx, as native ESM)', () => {
  it('starts on --port 0 as native ESM, serves the demo state, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', TSX, join(REPO, 'src/cli/main.ts'), 'sandbox', '--port', '0'], {
      cwd: tmpdir(),
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const out = await waitForOutput(child, /Oracle base URL:\s+\S+\n/);
      const edgeImpulse = /Edge Impulse base URL:\s+(http:\/\/127\.0\.0\.1:\d+\/v1)\n/.exec(out)?.[1];
      const oracle = /Oracle base URL:\s+(http:\/\/127\.0\.0\.1:\d+\/documents\/api\/1\.1)\n/.exec(out)?.[1];
      expect(edgeImpulse).toBeDefined();
      expect(oracle).toBeDefined();

      const answer = await fetch(`${oracle}/files/${DEMO.oracleFileId}/metadata`, {
        method: 'DELETE',
        headers: { authorization: basic(DEMO.oracleUser, DEMO.oraclePassword), 'content-type': 'application/json' },
        body: JSON.stringify({ collection: 'CollectionA', fields: 'A1,A2' }),
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ idList: DEMO.oracleFileId, type: 'file', errorCode: '0' });

      const exited = new Promise<number | null>((done) => child.once('exit', done));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
