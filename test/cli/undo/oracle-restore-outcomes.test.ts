/**
 * What an Oracle restore puts back and what it says: field by field, with a non-zero status and each
 * entry it left undone listed; the entry of a file backed up twice that was taken before the clear
 * that may have gone out (a DELETE refused, then the file edited and the run resumed; a DELETE done
 * and the CLI killed before its journal line, then resumed); only to an API root the operator gave.
 * The built CLI against the sandbox, over HTTP, with real files.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runCli, startCli } from '../../helpers/cli.js';
import { type Fault, startFaultProxy } from '../../helpers/fault-proxy.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-ocm-outcomes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const USER = 'operator';
const env = (baseUrl = sandbox.oracleBaseUrl) => ({
  OCM_BASE_URL: baseUrl,
  OCM_USERNAME: USER,
  OCM_PASSWORD: 'ocm-outcomes-password-1',
});
const cli = (args: string[], baseUrl?: string) => runCli(args, { env: env(baseUrl), cwd: dir });
const CLEAR = ['oracle', 'delete-metadata', '--collection', 'C', '--field', 'A1', '--field', 'A2'];
const state = () => Object.fromEntries(sandbox.oracle.files().map((f) => [f.id, structuredClone(f.collections)]));
const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'cli-json.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
/** Every line of a --json stdout (or of a backup), each checked against the documented schema when `checked`. */
const jsonLines = (text: string, checked = true) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const document = JSON.parse(line);
      if (checked && !validate(document)) {
        throw new Error(`${line}\ndoes not match the schema: ${JSON.stringify(validate.errors)}`);
      }
      return document;
    });

/** What an operator (or another tool) does between two runs: sets a value, over HTTP. */
async function edit(fileId: string, values: Record<string, string>): Promise<void> {
  const answer = await fetch(`${sandbox.oracleBaseUrl}/files/${fileId}/metadata`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${USER}:x`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ collection: 'C', ...values }),
  });
  expect(answer.status).toBe(200);
}

function seedRH(): void {
  for (const n of [1, 2, 3]) {
    sandbox.oracle.addFile({ id: `RH${n}`, owner: USER, collections: { C: { A1: `a1-${n}`, A2: `a2-${n}` } } });
  }
  writeFileSync(join(dir, 'ids.txt'), 'RH1\nRH2\nRH3\n');
}

describe('restore field by field, with an honest ending', () => {
  it('a field changed since the backup is left, every other field restored; exit 3, "ok": false, the entry listed', async () => {
    seedRH();
    const before = state();
    expect((await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl', '--concurrency', '1'])).code).toBe(
      0,
    );
    await edit('RH2', { A1: 'edited' });
    // RH2's entry's line in the backup (where the outcome lines of the others fall depends on timing).
    const rh2 =
      readFileSync(join(dir, 'b.jsonl'), 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('{"fileId":"RH2"')) + 1;
    const run = await cli(['restore', 'b.jsonl', '--json']);
    expect(run.code).toBe(3);
    // RH2's A2 conflicts with nothing: it is back; its A1 holds the edit.
    expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({ A1: 'edited', A2: 'a2-2' });
    expect(sandbox.oracle.file('RH1')?.collections.C).toEqual(before.RH1?.C);
    expect(sandbox.oracle.file('RH3')?.collections.C).toEqual(before.RH3?.C);
    const docs = jsonLines(run.stdout);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toEqual({
      fileId: 'RH2',
      line: rh2,
      outcome: 'changed',
      fields: { A1: { backup: 'a1-2', now: 'edited' } },
      restored: { A2: 'a2-2' },
    });
    expect(docs[1]).toMatchObject({
      command: 'oracle restore',
      ok: false,
      exitCode: 3,
      entries: 3,
      restored: 2,
      changed: 1,
      calls: 3,
      error: { message: '1 file changed since the backup, left as they are' },
    });
    // In words: the entry, then the counts; --force then puts the backed-up value back.
    const text = await cli(['restore', 'b.jsonl']);
    expect(text.code).toBe(3);
    expect(text.stdout).toBe(
      `  RH2 (line ${rh2}): changed since the backup: A1 holds "edited" (backup "a1-2"); left as it is (--force overwrites it)\n` +
        'Restored 0 files of 3 entries in b.jsonl (0 calls); 2 held the backed-up values already; 1 changed since the backup: the changed fields left as they are (--force overwrites them), the others restored.\n',
    );
    const forced = await cli(['restore', 'b.jsonl', '--force']);
    expect(forced.code).toBe(0);
    expect(state()).toEqual(before);
  });

  it('a file that no longer exists ends with exit 3, listed with the values not restored', async () => {
    seedRH();
    expect((await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl', '--concurrency', '1'])).code).toBe(
      0,
    );
    writeFileSync(
      join(dir, 'b.jsonl'),
      `${readFileSync(join(dir, 'b.jsonl'), 'utf8')}{"fileId":"GONE","values":{"A1":"g"}}\n`,
    );
    const run = await cli(['restore', 'b.jsonl', '--json']);
    expect(run.code).toBe(3);
    const docs = jsonLines(run.stdout);
    expect(docs[0]).toEqual({ fileId: 'GONE', line: 8, outcome: 'missing', fields: { A1: { backup: 'g' } } });
    expect(docs[1]).toMatchObject({ ok: false, exitCode: 3, restored: 3, missing: 1 });
  });

  it('an assign the server answers with success but did not apply is a failure (exit 1): the counts are read back', async () => {
    seedRH();
    const before = state();
    expect((await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl', '--concurrency', '1'])).code).toBe(
      0,
    );
    // A server that says it assigned RH3's values, and keeps nothing.
    const upstream = new URL(sandbox.oracleBaseUrl);
    const liar = createServer((req, res) => {
      if (req.method === 'POST' && req.url?.includes('/files/RH3/')) {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ idList: 'RH3', type: 'file', errorCode: '0' }));
        });
        return;
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const root = `http://127.0.0.1:${(liar.address() as AddressInfo).port}/documents/api/1.1`;
      // The backup was taken from the sandbox's root: give it as the header names it, through the liar.
      const header = JSON.parse(readFileSync(join(dir, 'b.jsonl'), 'utf8').split('\n')[0] as string);
      header.baseUrl = root;
      const rest = readFileSync(join(dir, 'b.jsonl'), 'utf8').split('\n').slice(1).join('\n');
      writeFileSync(join(dir, 'liar.jsonl'), `${JSON.stringify(header)}\n${rest}`);
      const run = await cli(['restore', 'liar.jsonl', '--json'], root);
      expect(run.code).toBe(1);
      const docs = jsonLines(run.stdout);
      expect(docs[0]).toMatchObject({
        fileId: 'RH3',
        outcome: 'failed',
        fields: { A1: { backup: 'a1-3' }, A2: { backup: 'a2-3' } },
        error: { name: 'RestoreReadBackError' },
      });
      expect(docs[1]).toMatchObject({ ok: false, exitCode: 1, restored: 2, failed: 1 });
    } finally {
      liar.closeAllConnections();
      await new Promise((resolve) => liar.close(resolve));
    }
    expect(sandbox.oracle.file('RH3')?.collections.C).toEqual({});
    expect(sandbox.oracle.file('RH1')?.collections.C).toEqual(before.RH1?.C);
  });
});

describe('the entry a restore applies: the one taken before the clear that may have gone out', () => {
  /** A proxy in front of the sandbox that answers `fault(method, fileId)` (undefined: forwards). */
  async function proxyWith(fault: (method: string, fileId: string) => Fault) {
    return startFaultProxy(new URL(sandbox.oracleBaseUrl).origin, (req) =>
      fault(req.method ?? '', /\/files\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? ''),
    );
  }

  it.each([
    ['an answer the client cannot use (200, no body)', 200],
    ['429 to every attempt, the first of which the server did', 429],
  ])(
    'a DELETE the server did, answered with %s: the clear is not taken for refused, and the restore puts the values back',
    async (_what, status) => {
      seedRH();
      const before = state();
      const proxy = await proxyWith((method, fileId) =>
        method === 'DELETE' && fileId === 'RH2' ? { kind: 'done-then-status', status } : undefined,
      );
      const root = `${proxy.url}/documents/api/1.1`;
      try {
        const cleared = await cli(
          [...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl', '--concurrency', '1'],
          root,
        );
        expect(cleared.code).toBe(1);
        // The server did clear RH2, whatever it answered.
        expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({});
        const lines = jsonLines(readFileSync(join(dir, 'b.jsonl'), 'utf8'), false);
        expect(lines.filter((l) => l.clear === 'refused')).toEqual([]);
        const restored = await cli(['restore', 'b.jsonl'], root);
        expect(restored.stderr).toBe('');
        expect(restored.code).toBe(0);
        expect(state()).toEqual(before);
      } finally {
        await proxy.close();
      }
    },
  );

  it('DELETE refused (400), the file edited, the run resumed: the restore puts back the edited value', async () => {
    seedRH();
    let refuse = true;
    const proxy = await proxyWith((method, fileId) => {
      if (method === 'DELETE' && fileId === 'RH2' && refuse) return { kind: 'status', status: 400 };
      return undefined;
    });
    const root = `${proxy.url}/documents/api/1.1`;
    const clear = [...CLEAR, '--files-from', 'ids.txt', '--journal', 'run.journal', '--concurrency', '1'];
    try {
      const first = await cli(clear, root);
      expect(first.code).toBe(1);
      expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({ A1: 'a1-2', A2: 'a2-2' });
      await edit('RH2', { A1: 'edited' });
      refuse = false;
      const resumed = await cli(clear, root);
      expect(resumed.code).toBe(0);
      expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({});
      // The backup says which clear was refused, and which was done.
      const lines = jsonLines(readFileSync(join(dir, 'run.journal.backup.jsonl'), 'utf8'), false);
      expect(lines[0]).toMatchObject({ metaclear: 'backup', version: 2 });
      expect(lines.filter((l) => l.fileId === 'RH2')).toEqual([
        { fileId: 'RH2', values: { A1: 'a1-2', A2: 'a2-2' } },
        { clear: 'refused', line: lines.findIndex((l) => l.values?.A1 === 'a1-2') + 1, fileId: 'RH2' },
        { fileId: 'RH2', values: { A1: 'edited', A2: 'a2-2' } },
        { clear: 'done', line: lines.findIndex((l) => l.values?.A1 === 'edited') + 1, fileId: 'RH2' },
      ]);
      const restored = await cli(['restore', 'run.journal.backup.jsonl', '--json'], root);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(JSON.parse(restored.stdout)).toMatchObject({ ok: true, restored: 3, changed: 0, superseded: 1 });
      expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({ A1: 'edited', A2: 'a2-2' });
      expect(sandbox.oracle.file('RH1')?.collections.C).toEqual({ A1: 'a1-1', A2: 'a2-1' });
    } finally {
      await proxy.close();
    }
  });

  it('DELETE done, the CLI killed (SIGKILL) before its outcome and journal lines, the file edited, resumed: the restore puts back the edited value and what the first clear took', async () => {
    seedRH();
    const clear = [...CLEAR, '--files-from', 'ids.txt', '--journal', 'run.journal', '--concurrency', '1'];
    let running: ReturnType<typeof startCli> | undefined;
    // The CLI is killed as RH2's DELETE reaches the proxy, which then hands it on: the server does it.
    const proxy = await proxyWith((method, fileId) => {
      if (method === 'DELETE' && fileId === 'RH2' && running !== undefined) {
        running.child.kill('SIGKILL');
        running = undefined;
      }
      return undefined;
    });
    const root = `${proxy.url}/documents/api/1.1`;
    try {
      running = startCli(clear, { env: env(root), cwd: dir });
      const killed = await running.result;
      expect(killed.signal).toBe('SIGKILL');
      // The DELETE the killed run sent is done by the server.
      // The sandbox records a request as it arrives, before it is done: wait for its answer.
      for (let i = 0; i < 500 && !proxy.answered.some((r) => r.method === 'DELETE' && r.url.includes('/RH2/')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({});
      const backupText = readFileSync(join(dir, 'run.journal.backup.jsonl'), 'utf8');
      expect(backupText).toContain('{"fileId":"RH2","values":{"A1":"a1-2","A2":"a2-2"}}\n');
      expect(backupText).not.toContain('"line":3,"fileId":"RH2"');
      await edit('RH2', { A1: 'edited' });
      const resumed = await cli(clear, root);
      expect(resumed.code).toBe(0);
      expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({});
      const restored = await cli(['restore', 'run.journal.backup.jsonl', '--json'], root);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      // RH2's first entry is superseded by its second; so is RH3's, when the runner (which holds two
      // files at --concurrency 1) had backed RH3 up before the kill: as many as files backed up twice.
      const entries = jsonLines(readFileSync(join(dir, 'run.journal.backup.jsonl'), 'utf8'), false).filter(
        (l) => l.values !== undefined,
      );
      const twice = entries.length - new Set(entries.map((l) => l.fileId)).size;
      expect([1, 2]).toContain(twice);
      expect(JSON.parse(restored.stdout)).toMatchObject({ ok: true, changed: 0, superseded: twice });
      // A1: the edit, cleared by the resumed run; A2: the value the first clear took, which nobody set since.
      expect(sandbox.oracle.file('RH2')?.collections.C).toEqual({ A1: 'edited', A2: 'a2-2' });
      expect(sandbox.oracle.file('RH1')?.collections.C).toEqual({ A1: 'a1-1', A2: 'a2-1' });
      expect(sandbox.oracle.file('RH3')?.collections.C).toEqual({ A1: 'a1-3', A2: 'a2-3' });
    } finally {
      await proxy.close();
    }
  });

  it('DELETE done, the CLI killed before its journal line, resumed with no edit: the restore gives back the state before', async () => {
    seedRH();
    const before = state();
    const clear = [...CLEAR, '--files-from', 'ids.txt', '--journal', 'run.journal', '--concurrency', '1'];
    let running: ReturnType<typeof startCli> | undefined;
    const proxy = await proxyWith((method, fileId) => {
      if (method === 'DELETE' && fileId === 'RH2' && running !== undefined) {
        running.child.kill('SIGKILL');
        running = undefined;
      }
      return undefined;
    });
    const root = `${proxy.url}/documents/api/1.1`;
    try {
      running = startCli(clear, { env: env(root), cwd: dir });
      expect((await running.result).signal).toBe('SIGKILL');
      // The sandbox records a request as it arrives, before it is done: wait for its answer.
      for (let i = 0; i < 500 && !proxy.answered.some((r) => r.method === 'DELETE' && r.url.includes('/RH2/')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await cli(clear, root)).code).toBe(0);
      const restored = await cli(['restore', 'run.journal.backup.jsonl'], root);
      expect(restored.code).toBe(0);
      expect(state()).toEqual(before);
    } finally {
      await proxy.close();
    }
  });
});

describe('version-1 backups (no outcome lines) are still read', () => {
  it('every entry counts as a clear that may have gone out: the entries of one file merged, the later value of a field winning', async () => {
    sandbox.oracle.addFile({ id: 'V', owner: USER, collections: { C: {} } });
    const header = {
      metaclear: 'backup',
      version: 1,
      api: 'oracle-documents',
      baseUrl: sandbox.oracleBaseUrl,
      target: { collection: 'C', fields: ['A1', 'A2'] },
      created: '2026-12-01T00:00:00.000Z',
    };
    writeFileSync(
      join(dir, 'v1.jsonl'),
      `${JSON.stringify(header)}\n{"fileId":"V","values":{"A1":"old","A2":"kept"}}\n{"fileId":"V","values":{"A1":"newer"}}\n`,
    );
    const run = await cli(['restore', 'v1.jsonl', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ entries: 2, restored: 1, superseded: 1, changed: 0 });
    expect(sandbox.oracle.file('V')?.collections.C).toEqual({ A1: 'newer', A2: 'kept' });
  });

  it('a version this metaclear does not know is refused before any request', async () => {
    writeFileSync(
      join(dir, 'v9.jsonl'),
      `${JSON.stringify({ metaclear: 'backup', version: 9, api: 'oracle-documents', baseUrl: sandbox.oracleBaseUrl, target: { collection: 'C', fields: ['A1'] }, created: 'x' })}\n`,
    );
    const run = await cli(['restore', 'v9.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('v9.jsonl is a backup of version 9; this metaclear reads versions 1 and 2');
    expect(sandbox.requests).toEqual([]);
  });
});

describe('credentials only to an API root the operator gave', () => {
  it('no OCM_BASE_URL and no --base-url: refused (exit 2) naming the backup’s root and the flag; nothing sent', async () => {
    seedRH();
    expect((await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl', '--concurrency', '1'])).code).toBe(
      0,
    );
    sandbox.requests.length = 0;
    const run = await runCli(['restore', 'b.jsonl'], {
      env: { OCM_USERNAME: USER, OCM_PASSWORD: 'ocm-outcomes-password-1' },
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `error: the backup b.jsonl was taken from ${sandbox.oracleBaseUrl}, and no API root was given: a restore sends the credential only to an API root given to it; set --base-url ${sandbox.oracleBaseUrl} (or OCM_BASE_URL) to restore where it was taken`,
    );
    expect(sandbox.requests).toEqual([]);
  });

  it('another root given: refused naming both roots and where the other came from', async () => {
    seedRH();
    expect((await cli([...CLEAR, '--files-from', 'ids.txt', '--backup', 'b.jsonl', '--concurrency', '1'])).code).toBe(
      0,
    );
    sandbox.requests.length = 0;
    const run = await cli(['restore', 'b.jsonl', '--base-url', 'https://other.example.com/documents/api/1.1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `was taken from ${sandbox.oracleBaseUrl}, not https://other.example.com/documents/api/1.1 (--base-url); a restore sends the credential only to an API root given to it: set --base-url ${sandbox.oracleBaseUrl} (or OCM_BASE_URL)`,
    );
    expect(sandbox.requests).toEqual([]);
  });

  it('Edge Impulse: a backup naming a root other than the client’s default, with none given, is refused naming both', async () => {
    sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { site: 'a' } }]);
    const header = {
      metaclear: 'backup',
      version: 1,
      api: 'edge-impulse',
      baseUrl: sandbox.edgeImpulseBaseUrl,
      target: { projectId: 1, category: 'training', metadataKey: 'site' },
      created: '2026-12-01T00:00:00.000Z',
    };
    writeFileSync(join(dir, 'ei.jsonl'), `${JSON.stringify(header)}\n{"id":1,"value":"a"}\n`);
    const run = await runCli(['restore', 'ei.jsonl'], { env: { EDGE_IMPULSE_API_KEY: 'ei-outcomes-key-1' }, cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `the backup ei.jsonl was taken from ${sandbox.edgeImpulseBaseUrl}, not https://studio.edgeimpulse.com/v1 (the client's default); a restore sends the credential only to an API root given to it: set --base-url ${sandbox.edgeImpulseBaseUrl} (or EDGE_IMPULSE_BASE_URL)`,
    );
    expect(sandbox.requests).toEqual([]);
  });
});

it('oracle restore --help documents its exit statuses', async () => {
  const help = await cli(['oracle', 'restore', '--help']);
  expect(help.code).toBe(0);
  // The help is wrapped to 80 columns: compared with its line breaks and indents as single spaces.
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  const text = flat(help.stdout);
  expect(text).toContain(flat('  0    every entry applied is restored (or held its values already), as read back '));
  expect(text).toContain(flat('  1    an entry failed (it could not be read, assigned or read back)'));
  expect(text).toContain(flat('  3    entries left undone, none failed: a field changed since the backup'));
  expect(text).toContain('only to the root given with --base-url or OCM_BASE_URL');
});

describe('oracle delete-metadata --file: previewed and backed up as the bulk run', () => {
  it('--dry-run reads the file’s own values and prints the DELETE of the fields that hold one; nothing changed, no file written', async () => {
    seedRH();
    sandbox.oracle.addFile({ id: 'H', owner: USER, collections: { C: { A1: 'h1' } } });
    const run = await cli([...CLEAR, '--file', 'H', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  H: A1 "h1"\n');
    expect(run.stdout).toMatch(/^DELETE \S+\/files\/H\/metadata$/m);
    expect(run.stdout).toContain('{"collection":"C","fields":"A1"}');
    expect(sandbox.requests.map((r) => r.method)).toEqual(['GET']);
    expect(sandbox.oracle.file('H')?.collections.C).toEqual({ A1: 'h1' });
    expect(readdirSync(dir)).toEqual(['ids.txt']);
  });

  it('backs the values up (default name) before the DELETE; metaclear restore puts them back', async () => {
    sandbox.oracle.addFile({ id: 'H', owner: USER, collections: { C: { A1: 'h1', A2: 'h2', Z: 'z' } } });
    const run = await cli([...CLEAR, '--file', 'H']);
    expect(run.code).toBe(0);
    expect(sandbox.oracle.file('H')?.collections.C).toEqual({ Z: 'z' });
    const [name] = readdirSync(dir).filter((n) => n.startsWith('metaclear-backup-oracle-'));
    expect(name).toMatch(/^metaclear-backup-oracle-\d{8}T\d{6}Z\.jsonl$/);
    expect(run.stdout).toContain(`Undo with: metaclear restore ${join(dir, name as string)}`);
    const lines = jsonLines(readFileSync(join(dir, name as string), 'utf8'), false);
    expect(lines.slice(1)).toEqual([
      { fileId: 'H', values: { A1: 'h1', A2: 'h2' } },
      { clear: 'done', line: 2, fileId: 'H' },
    ]);
    const restored = await cli(['restore', name as string]);
    expect(restored.code).toBe(0);
    expect(sandbox.oracle.file('H')?.collections.C).toEqual({ A1: 'h1', A2: 'h2', Z: 'z' });
  });
  it('a DELETE the server refuses: exit 1, the backup kept with the refusal, and its restore applies nothing', async () => {
    // An applink with the viewer role may read the file, not change it.
    sandbox.oracle.addFile({
      id: 'R',
      owner: 'someone-else',
      collections: { C: { A1: 'r1' } },
      appLinks: [{ id: 'LINK', accessToken: 'viewer-token-1', role: 'viewer' }],
    });
    const appLinkEnv = {
      OCM_BASE_URL: sandbox.oracleBaseUrl,
      OCM_APPLINK_ID: 'LINK',
      OCM_APPLINK_TOKEN: 'viewer-token-1',
    };
    const run = await runCli([...CLEAR, '--file', 'R', '--backup', 'r.jsonl'], { env: appLinkEnv, cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Backup: ${join(dir, 'r.jsonl')} (1 file). Undo with: metaclear restore ${join(dir, 'r.jsonl')}\n`,
    );
    expect(run.stderr).toMatch(/error: deleteFileMetadataValues: .*HTTP 403/);
    expect(jsonLines(readFileSync(join(dir, 'r.jsonl'), 'utf8'), false).slice(1)).toEqual([
      { fileId: 'R', values: { A1: 'r1' } },
      { clear: 'refused', line: 2, fileId: 'R' },
    ]);
    sandbox.requests.length = 0;
    const restored = await runCli(['restore', 'r.jsonl', '--json'], { env: appLinkEnv, cwd: dir });
    expect(restored.code).toBe(0);
    expect(jsonLines(restored.stdout)[0]).toMatchObject({ ok: true, entries: 1, superseded: 1, restored: 0 });
    expect(sandbox.requests).toEqual([]);
    expect(sandbox.oracle.file('R')?.collections.C).toEqual({ A1: 'r1' });
  });
});
