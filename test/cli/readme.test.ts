/**
 * The documents' command-line examples, run as written: the blocks marked `cli-examples`,
 * `backup-examples` and `oracle-backup-examples` (in whichever document holds them: the README or a
 * chapter under docs/) are split into commands, each run by bash with `metaclear` on the PATH (the
 * built CLI) against a sandbox with the demo data of `metaclear sandbox`; only its address is
 * swapped for the sandbox's. A command ends with status 0 unless its comment says `# exit N`.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, seedDemoState } from '../../src/sandbox/demo-state.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { builtCli, cliOutputs } from '../helpers/cli.js';
import { commandsOf, markedBlock, readDocument } from '../helpers/docs.js';

const examples = markedBlock('cli-examples');
const commands = commandsOf(examples.text);

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  const cli = builtCli();
  sandbox = await startSandbox(); // the defaults of `metaclear sandbox`
  seedDemoState(sandbox);
  dir = mkdtempSync(join(tmpdir(), 'metaclear-readme-'));
  mkdirSync(join(dir, 'bin'));
  const shim = join(dir, 'bin', 'metaclear');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} "$@"\n`);
  chmodSync(shim, 0o755);
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: dir } },
      (error, stdout, stderr) => {
        cliOutputs.push(stdout, stderr);
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

it('has the examples, and they start from the sandbox their chapter just started', () => {
  const section = readDocument(examples.document);
  expect(commands.length).toBeGreaterThanOrEqual(8);
  expect(commands[0]?.line).toMatch(/^export EDGE_IMPULSE_BASE_URL=http:\/\/127\.0\.0\.1:4010\/v1 /);
  expect(section).toContain('metaclear sandbox --log');
  expect(section).toContain('npx metaclear');
  expect(section).toContain('npm link');
});

it('every example runs as written, in order, with the exit status it states', async () => {
  const exports: string[] = [];
  for (const { line, exit } of commands) {
    const command = line.replaceAll('http://127.0.0.1:4010', sandbox.url);
    if (command.startsWith('export ')) {
      exports.push(command);
      continue;
    }
    const run = await bash([...exports, command].join('\n'));
    if (run.code !== exit) {
      throw new Error(`${line}\nexited ${run.code}, expected ${exit}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
    }
  }
  // What they did, seen from the sandbox.
  expect(sandbox.edgeImpulse.jobs(DEMO.edgeImpulseJobProjectId)[0]).toMatchObject({ id: 1, finishedSuccessful: true });
  expect(sandbox.oracle.file(DEMO.oracleFileId)?.collections.CollectionA).toEqual({});
  expect(readFileSync(join(dir, 'failed.txt'), 'utf8')).toMatch(/^NO-SUCH-FILE$/m);
  expect(readFileSync(join(dir, 'run.journal'), 'utf8').trimEnd().split('\n')).toHaveLength(4);
});

describe('"Preview, backup and restore"', () => {
  const lines = commandsOf(markedBlock('backup-examples').text);

  it('its first session runs as written, and leaves the project as it found it', async () => {
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const project = DEMO.edgeImpulseJobProjectId;
    const before = sandbox.edgeImpulse.samples(project).map((s) => ({ id: s.id, ...s.metadata }));
    const exports: string[] = [];
    const outputs: string[] = [];
    for (const { line, exit } of lines) {
      const command = line.replaceAll('http://127.0.0.1:4010', sandbox.url);
      if (command.startsWith('export ')) {
        exports.push(command);
        continue;
      }
      const run = await bash([...exports, command].join('\n'));
      if (run.code !== exit) {
        throw new Error(`${line}\nexited ${run.code}, expected ${exit}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
      }
      outputs.push(run.stdout + run.stderr);
    }
    expect(outputs[0]).toContain('60 selected, 60 hold the key');
    expect(outputs[1]).toContain('the clear would change 60 samples, more than --max-affected 10');
    expect(outputs[2]).toMatch(
      /^Backup: \S*\/site\.jsonl \(60 values\)\. Undo with: metaclear restore \S*site\.jsonl$/m,
    );
    expect(outputs[4]).toMatch(/^Restored 60 samples of 60 entries in site\.jsonl/);
    expect(JSON.parse(outputs[5]?.split('\n')[0] ?? '')).toMatchObject({ ok: true, restored: 0, unchanged: 60 });
    expect(sandbox.edgeImpulse.samples(project).map((s) => ({ id: s.id, ...s.metadata }))).toEqual(before);
  });
});

describe('"Preview, backup and restore": the Oracle session', () => {
  const lines = commandsOf(markedBlock('oracle-backup-examples').text);

  it('runs as written, and leaves the file as it found it', async () => {
    expect(lines.length).toBeGreaterThanOrEqual(7);
    const before = sandbox.oracle.file(DEMO.oracleFileId)?.collections;
    expect(before?.['Personal.CollectionA']).toEqual({ A1: 'mine 1', A2: 'mine 2' });
    const exports: string[] = [];
    const outputs: string[] = [];
    for (const { line, exit } of lines) {
      const command = line.replaceAll('http://127.0.0.1:4010', sandbox.url);
      if (command.startsWith('export ')) {
        exports.push(command);
        continue;
      }
      const run = await bash([...exports, command].join('\n'));
      if (run.code !== exit) {
        throw new Error(`${line}\nexited ${run.code}, expected ${exit}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
      }
      outputs.push(run.stdout + run.stderr);
    }
    const [, preview, refused, cleared, dryRestore, restored, again] = outputs;
    expect(preview).toContain(`  ${DEMO.oracleFileId}: A1 "mine 1", A2 "mine 2"\n`);
    expect(preview).toContain('{"collection":"Personal.CollectionA","fields":"A1,A2"}');
    expect(preview).toContain(
      '1 file read, 1 with a value of their own in these fields: the run would remove 2 values from 1 file.',
    );
    expect(refused).toContain('the run would change 1 file, more than --max-affected 0; nothing was cleared');
    expect(cleared).toMatch(
      /^Backup: \S*\/personal\.jsonl \(1 file\)\. Undo with: metaclear restore \S*personal\.jsonl$/m,
    );
    expect(dryRestore).toMatch(/^Would restore 1 file of 1 entry in personal\.jsonl \(1 call\)\.$/m);
    expect(restored).toMatch(/^Restored 1 file of 1 entry in personal\.jsonl \(1 call\)\.$/m);
    expect(JSON.parse(again?.split('\n')[0] ?? '')).toMatchObject({ ok: true, restored: 0, unchanged: 1 });
    expect(sandbox.oracle.file(DEMO.oracleFileId)?.collections).toEqual(before);
  });
});
