/**
 * The library's usage examples, run as written against the sandbox: each `ts` block of the
 * "Using the clients" section (in whichever document holds it) is type-checked, then executed in its own Node process, with
 * only the base URLs swapped for the sandbox's and the credentials given as environment.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { compile } from './helpers/compile.js';
import { documents, markedBlock, readDocument, sectionOf } from './helpers/docs.js';
import { REPO, type RunResult } from './helpers/workspace.js';

const holder = documents().find((document) => readDocument(document).includes('\n## Using the clients\n'));
if (holder === undefined) throw new Error('no document has the section "## Using the clients"');
const usage = sectionOf(holder, '## Using the clients');
const blocks = [...usage.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const TMP = join(REPO, 'test', '.readme-examples');

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ jobThreshold: 1, jobPolls: 2 });
  mkdirSync(TMP, { recursive: true });
});
afterAll(async () => {
  await sandbox.close();
  rmSync(TMP, { recursive: true, force: true });
});
beforeEach(() => sandbox.reset());

const env = {
  EI_API_KEY: 'ei_readme',
  OCM_PASSWORD: 'pw',
  OCM_APPLINK_ID: 'LINK-1',
  OCM_APPLINK_TOKEN: 'TOKEN-1',
  OCM_BEARER_TOKEN: 'operator',
};

async function runExample(index: number | 'front-page'): Promise<RunResult> {
  const source = (index === 'front-page' ? markedBlock('front-page-example').text : (blocks[index] as string))
    .replaceAll("from 'metaclear'", "from '../../src/index.js'")
    .replaceAll("'https://studio.edgeimpulse.com/v1'", `'${sandbox.edgeImpulseBaseUrl}'`)
    .replaceAll("'https://tenant.example.com/documents/api/1.1'", `'${sandbox.oracleBaseUrl}'`);
  const file = join(TMP, `example-${index}.ts`);
  writeFileSync(file, `${source}\nexport {};\n`);
  expect(compile(`test/.readme-examples/example-${index}.ts`)).toEqual([]);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file],
      // Bounded, so that a hung example cannot outlive its test.
      { cwd: REPO, env: { ...process.env, ...env }, timeout: 45_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

it('has the five examples this test knows', () => {
  expect(blocks).toHaveLength(5);
});

it('Edge Impulse: clears the key on the matching samples, following the job', async () => {
  const phone = { source: 'phone', reviewer: 'ann' };
  sandbox.edgeImpulse.addSamples(1, [
    { id: 1, label: 'idle', added: '2024-03-01T00:00:00Z', metadata: phone },
    { id: 2, label: 'snake', added: '2024-07-01T00:00:00Z', metadata: phone },
    { id: 3, label: 'idle', added: '2023-07-01T00:00:00Z', metadata: phone },
    { id: 4, label: 'wave', added: '2024-07-01T00:00:00Z', metadata: phone },
    { id: 5, label: 'idle', added: '2024-07-01T00:00:00Z', metadata: { source: 'mic', reviewer: 'bob' } },
    { id: 6, label: 'idle', category: 'testing', added: '2024-07-01T00:00:00Z', metadata: phone },
  ]);
  const result = await runExample(0);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const jobId = sandbox.edgeImpulse.jobs(1)[0]?.id;
  expect(result.stdout).toBe(`job ${jobId}: running\njob ${jobId}: finished\njob ${jobId} succeeded\n`);
  const reviewed = sandbox.edgeImpulse
    .samples(1)
    .filter((s) => 'reviewer' in s.metadata)
    .map((s) => s.id);
  expect(reviewed).toEqual([3, 4, 5, 6]);
  expect(sandbox.requests[0]?.headers['x-api-key']).toBe('ei_readme');
});

it('Oracle: one file, then many with a failure reported in place', async () => {
  for (const id of ['D3C1C1F319CFE6B102095C5DT0000000000100000001', 'F1', 'F2']) {
    sandbox.oracle.addFile({ id, owner: 'operator', collections: { CollectionA: { A1: '1', A2: '2', A3: '3' } } });
  }
  const result = await runExample(1);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines[0]).toBe('0');
  // Progress: one line per file; which finishes first depends on the network.
  expect(lines.slice(1, 4).map((l) => l.split(',')[0])).toEqual(['1 done', '2 done', '3 done']);
  expect(lines[3]).toBe('3 done, 1 failed');
  expect(lines.slice(4)).toEqual(['F1: cleared', 'F2: cleared', 'NO-SUCH-FILE: HTTP 404']);
  expect(sandbox.oracle.file('F1')?.collections.CollectionA).toEqual({ A2: '2', A3: '3' });
  expect(sandbox.oracle.file('D3C1C1F319CFE6B102095C5DT0000000000100000001')?.collections.CollectionA).toEqual({
    A3: '3',
  });
});

it("the front page's example: one file's fields cleared", async () => {
  sandbox.oracle.addFile({
    id: 'D3C1C1F319CFE6B102095C5DT0000000000100000001',
    owner: 'operator',
    collections: { CollectionA: { A1: '1', A2: '2', A3: '3' } },
  });
  const result = await runExample('front-page');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('errorCode 0\n');
  expect(sandbox.oracle.file('D3C1C1F319CFE6B102095C5DT0000000000100000001')?.collections.CollectionA).toEqual({
    A3: '3',
  });
});

it('Oracle: through an applink, without other credentials', async () => {
  sandbox.oracle.addFile({
    id: 'DED694950C14AFF280419F9AB5D17B95F47087F4E518',
    owner: 'someone-else',
    collections: { ApplinkCollection: { appField1: 'a', appField2: 'b' } },
    appLinks: [{ id: 'LINK-1', accessToken: 'TOKEN-1', role: 'contributor' }],
  });
  const result = await runExample(2);
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe('cleared through the applink\n');
  expect(sandbox.oracle.file('DED694950C14AFF280419F9AB5D17B95F47087F4E518')?.collections.ApplinkCollection).toEqual(
    {},
  );
  expect(sandbox.requests[0]?.headers.authorization).toBeUndefined();
});

it('Oracle: many files as a stream', async () => {
  for (const id of ['F1', 'F2']) {
    sandbox.oracle.addFile({ id, owner: 'operator', collections: { CollectionA: { A1: '1', A2: '2' } } });
  }
  const result = await runExample(3);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('3 taken, 1 failed\n');
  expect(sandbox.oracle.file('F1')?.collections.CollectionA).toEqual({ A2: '2' });
  expect(sandbox.oracle.file('F2')?.collections.CollectionA).toEqual({ A2: '2' });
});

it('Errors: the guards tell an answer from no answer', async () => {
  const result = await runExample(4);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('HTTP 404, errorCode -16\n');
});
