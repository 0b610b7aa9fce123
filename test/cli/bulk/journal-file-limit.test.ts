/**
 * The restore's journal under a real file-size limit (`ulimit -f`): a journal line that cannot be
 * written ends the run with a non-zero status, says so, and prints the command that resumes it,
 * which then runs as printed. The built CLI against the sandbox, over HTTP, with real files.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, type CliResult, runCli, runPrinted } from '../../helpers/cli.js';

const USER = 'operator';
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-journal-limit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({
  OCM_BASE_URL: sandbox.oracleBaseUrl,
  OCM_USERNAME: USER,
  OCM_PASSWORD: 'journal-limit-password-1',
});
const cli = (args: string[]) => runCli(args, { env: env(), cwd: dir });
const CLEAR = ['oracle', 'delete-metadata', '--collection', 'C', '--field', 'A'];
const id = (i: number) => `L${String(i).padStart(3, '0')}`;

/** Seeds `files` files with a value of A, and clears them with a backup `name`. */
async function clearedWithBackup(files: number, name: string): Promise<void> {
  sandbox.reset();
  const ids: string[] = [];
  for (let i = 0; i < files; i++) {
    ids.push(id(i));
    sandbox.oracle.addFile({ id: id(i), owner: USER, collections: { C: { A: `value ${i}` } } });
  }
  writeFileSync(join(dir, `${name}.ids`), `${ids.join('\n')}\n`);
  const cleared = await cli([...CLEAR, '--files-from', `${name}.ids`, '--backup', name]);
  expect(cleared.code).toBe(0);
}

function underLimit(blocks: number, args: string): Promise<CliResult> {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(builtCli())} ${args}`;
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn('sh', ['-c', `trap '' XFSZ; ulimit -f ${blocks}; exec ${command}`], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env() },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe("the restore's journal meets a file-size limit", () => {
  it('its last line cut as the run ends: exit 1, said, and the printed resume finishes the restore', async () => {
    // A probe tells the size of each line of a restore journal; the real backup then has as many
    // entries as make the last line the one that crosses 512 bytes (ulimit -f 1).
    await clearedWithBackup(40, 'probe.jsonl');
    const probe = await cli(['restore', 'probe.jsonl', '--journal', 'probe.journal', '--concurrency', '1']);
    expect(probe.code).toBe(0);
    const lines = readFileSync(join(dir, 'probe.journal'), 'utf8').split('\n');
    let size = Buffer.byteLength(lines[0] as string) + 1;
    let files = 0;
    while (size + Buffer.byteLength(lines[files + 1] as string) + 1 <= 512) {
      size += Buffer.byteLength(lines[++files] as string) + 1;
    }
    files++;
    await clearedWithBackup(files, 'b.jsonl');
    const run = await underLimit(1, 'restore b.jsonl --journal r.journal --concurrency 1');
    const journal = readFileSync(join(dir, 'r.journal'), 'utf8');
    expect(journal.endsWith('\n')).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: cannot write .*r\.journal \(EFBIG\)/m);
    const resume = /^Run it again to finish .*:\n {2}(.*)$/m.exec(run.stdout)?.[1] as string;
    expect(resume).toBe('metaclear restore b.jsonl --journal r.journal --concurrency 1');
    const resumed = await runPrinted(resume, { env: env(), cwd: dir });
    expect(resumed.code).toBe(0);
    for (let i = 0; i < files; i++) expect(sandbox.oracle.file(id(i))?.collections.C).toEqual({ A: `value ${i}` });
  });
});
