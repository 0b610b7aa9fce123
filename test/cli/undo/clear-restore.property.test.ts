/**
 * Property: over random sandbox states, filters and keys, `edge-impulse clear-metadata` (with its
 * backup) then `metaclear restore <backup>` gives back exactly the state before; and over random
 * Oracle states (files with values of their own, values inherited from folders, other collections,
 * files that do not exist) and field lists, a bulk `oracle delete-metadata` then the restore do too. The CLI runs
 * in-process (runCli with injected dependencies), over HTTP to the sandbox, with real files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { runCli } from '../../../src/cli/program.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-property-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli({
    argv,
    env: {
      EDGE_IMPULSE_API_KEY: 'property-key-1',
      EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl,
      OCM_BASE_URL: sandbox.oracleBaseUrl,
      OCM_USERNAME: 'owner',
      OCM_PASSWORD: 'property-password-1',
    },
    stdin: Readable.from([]),
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    isTTY: false,
    cwd: dir,
    onSignal: () => () => undefined,
  });
  return { code, stdout, stderr };
}

const KEYS = ['site', 'device', 'note'];
const VALUES = ['a', 'b', '', 'c d', 'é'];
const LABELS = ['idle', 'wave'];

const sampleArb = fc.record({
  label: fc.constantFrom(...LABELS),
  category: fc.constantFrom('training' as const, 'testing' as const),
  metadata: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 }),
});

const caseArb = fc.record({
  samples: fc.array(sampleArb, { maxLength: 40 }),
  key: fc.constantFrom(...KEYS),
  category: fc.constantFrom('training', 'testing', 'all'),
  label: fc.option(fc.constantFrom(...LABELS), { nil: undefined }),
  metadata: fc.option(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('a', 'b', 'é')), { nil: undefined }),
  excludeIds: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 5 }), { nil: undefined }),
});

const state = () => Object.fromEntries(sandbox.edgeImpulse.samples(1).map((s) => [s.id, { ...s.metadata }]));

let run = 0;
it('clear then restore gives back exactly the state before', async () => {
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      sandbox.reset();
      sandbox.edgeImpulse.addSamples(
        1,
        c.samples.map((s, i) => ({ id: i + 1, ...s })),
      );
      const before = state();
      const backup = `b${++run}.jsonl`;
      const filter = [
        ...(c.label ? ['--label', c.label] : []),
        ...(c.metadata ? ['--metadata', `${c.metadata[0]}=${c.metadata[1]}`] : []),
        ...(c.excludeIds && c.excludeIds.length > 0 ? ['--exclude-ids', c.excludeIds.join(',')] : []),
      ];
      const cleared = await cli([
        'edge-impulse',
        'clear-metadata',
        '--project',
        '1',
        '--category',
        c.category,
        '--key',
        c.key,
        ...filter,
        '--backup',
        backup,
        '--wait',
      ]);
      expect(cleared.stderr.replace(/^job \d+: .*\n/gm, '')).toBe('');
      expect(cleared.code).toBe(0);
      if (!cleared.stdout.startsWith('None of the')) {
        // The clear did clear: every sample backed up holds the key no more, every other is as it was.
        const entries = readFileSync(join(dir, backup), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => JSON.parse(l));
        expect(entries.length).toBeGreaterThan(0);
        const ids = new Set(entries.map((e: { id: number }) => e.id));
        for (const sample of sandbox.edgeImpulse.samples(1)) {
          if (ids.has(sample.id)) expect(sample.metadata[c.key]).toBeUndefined();
          else expect(sample.metadata).toEqual(before[sample.id]);
        }
        const restored = await cli(['restore', backup]);
        expect(restored.code).toBe(0);
        expect(restored.stdout).not.toContain('changed since');
      }
      expect(state()).toEqual(before);
    }),
    { numRuns: 40, seed: 20261203 },
  );
}, 120_000);

const FIELDS = ['A', 'B', 'C', 'D'];
const fieldValues = fc.dictionary(fc.constantFrom(...FIELDS), fc.constantFrom(...VALUES), { maxKeys: 4 });

const oracleCaseArb = fc.record({
  // Two folders (one inside the other), each with values of its own in collection K, which the files inherit.
  outer: fieldValues,
  inner: fieldValues,
  files: fc.array(
    fc.record({
      folder: fc.constantFrom(undefined, 'outer', 'inner'),
      // undefined: collection K is not assigned to the file.
      own: fc.option(fieldValues, { nil: undefined }),
      other: fc.option(fieldValues, { nil: undefined }),
    }),
    { maxLength: 30 },
  ),
  fields: fc.uniqueArray(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 4 }),
  // Files of the input that do not exist.
  strangers: fc.nat({ max: 2 }),
  concurrency: fc.integer({ min: 1, max: 8 }),
});

const oracleState = () => Object.fromEntries(sandbox.oracle.files().map((f) => [f.id, structuredClone(f.collections)]));

it('Oracle: a bulk clear then restore gives back exactly the state before (own and inherited values)', async () => {
  await fc.assert(
    fc.asyncProperty(oracleCaseArb, async (c) => {
      sandbox.reset();
      sandbox.oracle.addFolder({ id: 'outer', collections: { K: c.outer } });
      sandbox.oracle.addFolder({ id: 'inner', parent: 'outer', collections: { K: c.inner } });
      const ids = c.files.map((f, i) => {
        const id = `OF${i}`;
        sandbox.oracle.addFile({
          id,
          owner: 'owner',
          ...(f.folder !== undefined ? { folder: f.folder } : {}),
          collections: {
            ...(f.own !== undefined ? { K: f.own } : {}),
            ...(f.other !== undefined ? { L: f.other } : {}),
          },
        });
        return id;
      });
      for (let i = 0; i < c.strangers; i++) ids.push(`NOPE${i}`);
      const before = oracleState();
      const n = ++run;
      writeFileSync(join(dir, `ids${n}.txt`), `${ids.join('\n')}\n`);
      const backup = `o${n}.jsonl`;
      const cleared = await cli([
        'oracle',
        'delete-metadata',
        '--collection',
        'K',
        ...c.fields.flatMap((f) => ['--field', f]),
        '--files-from',
        `ids${n}.txt`,
        '--backup',
        backup,
        '--failed-out',
        `failed${n}.txt`,
        '--concurrency',
        String(c.concurrency),
        '--allow-empty',
      ]);
      expect(cleared.code).toBe(c.strangers > 0 ? 1 : 0);
      // The clear did clear: no backed-up file holds a value of its own in the fields any more.
      for (const file of sandbox.oracle.files()) {
        for (const field of c.fields) expect(file.collections.K?.[field]).toBeUndefined();
        expect(file.collections.L).toEqual(before[file.id]?.L);
      }
      const hadValues = c.files.some((f) => c.fields.some((field) => f.own?.[field] !== undefined));
      expect(existsSync(join(dir, backup))).toBe(hadValues);
      if (hadValues) {
        const restored = await cli(['restore', backup, '--concurrency', String(c.concurrency)]);
        expect(restored.stderr).toBe('');
        expect(restored.code).toBe(0);
        expect(restored.stdout).not.toContain('changed since');
      }
      expect(oracleState()).toEqual(before);
    }),
    { numRuns: 40, seed: 20261204 },
  );
}, 120_000);

/**
 * Property: random sequences of an Oracle clear (with its journal and backup), the operator's edits,
 * DELETEs the server refuses (400), a SIGKILL as a DELETE reaches the server (which then does it),
 * resumes of the same command and restores. After each step, every value the operator expects (the
 * first values, or their edit) is in place, or in the backup with a restore that puts it back, or
 * left by that restore and reported as changed since the backup: a restore is run on the state of
 * the moment (then the state is put back as it was, for the sequence to go on) and afterwards every
 * expected value must be in place, every field it left listed as changed with the operator's value.
 * The clear and its resumes run as the built CLI (a real SIGKILL), through a proxy that refuses or
 * kills on cue; the restores in-process. Deterministic: one file at a time, the kill on a request
 * event, a fixed seed.
 */
const OFILES = ['P0', 'P1', 'P2', 'P3'];
const OFIELDS = ['A', 'B'] as const;
const fileIndex = fc.nat({ max: OFILES.length - 1 });
const runArb = fc.record({
  refuse: fc.uniqueArray(fileIndex, { maxLength: 2 }),
  killAt: fc.option(fileIndex, { nil: undefined }),
});
const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('edit' as const),
    file: fileIndex,
    field: fc.constantFrom(...OFIELDS),
    value: fc.constantFrom('e1', 'e2', 'é'),
  }),
  fc.record({ kind: fc.constant('resume' as const), run: runArb }),
  fc.record({ kind: fc.constant('restore' as const) }),
);
const sequenceArb = fc.record({
  initial: fc.array(fc.dictionary(fc.constantFrom(...OFIELDS), fc.constantFrom('a', 'b', '', 'c d')), {
    minLength: OFILES.length,
    maxLength: OFILES.length,
  }),
  clear: runArb,
  steps: fc.array(stepArb, { maxLength: 4 }),
});

type Values = Record<string, string>;

it('Oracle: clear, edit, refused DELETE, kill, resume and restore in any order: every value in place, restorable, or reported changed', async () => {
  const { startFaultProxy } = await import('../../helpers/fault-proxy.js');
  const { builtCli, startCli } = await import('../../helpers/cli.js');
  builtCli();
  /** What the proxy does to the next DELETEs: refuse those files, kill the CLI at that one's. */
  const cue: { refuse: Set<string>; killAt: string | undefined; cli: ReturnType<typeof startCli> | undefined } = {
    refuse: new Set(),
    killAt: undefined,
    cli: undefined,
  };
  const proxy = await startFaultProxy(new URL(sandbox.oracleBaseUrl).origin, (req) => {
    const fileId = /\/files\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? '';
    if (req.method !== 'DELETE') return undefined;
    if (cue.refuse.has(fileId)) {
      seen.refused++;
      return { kind: 'status', status: 400 };
    }
    if (fileId === cue.killAt && cue.cli !== undefined) {
      cue.cli.child.kill('SIGKILL');
      cue.cli = undefined;
    }
    return undefined;
  });
  const root = `${proxy.url}/documents/api/1.1`;
  /** What the sequences did, over all runs: each kind of fault must have been met. */
  const seen = { kills: 0, refused: 0, editsOfCleared: 0, changedReported: 0 };
  const oracleEnv = { OCM_BASE_URL: root, OCM_USERNAME: 'owner', OCM_PASSWORD: 'property-password-1' };
  const restoreIn = async (backup: string): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli({
      argv: ['restore', backup, '--json'],
      env: oracleEnv,
      stdin: Readable.from([]),
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      isTTY: false,
      cwd: dir,
      onSignal: () => () => undefined,
    });
    return { code, stdout, stderr };
  };
  const own = (): Record<string, Values> =>
    Object.fromEntries(sandbox.oracle.files().map((f) => [f.id, { ...(f.collections.K ?? {}) }]));
  const reseed = (values: Record<string, Values>): void => {
    sandbox.oracle.reset();
    for (const id of OFILES) sandbox.oracle.addFile({ id, owner: 'owner', collections: { K: { ...values[id] } } });
  };
  const deletesOf = (fileId: string) =>
    sandbox.requests.filter((r) => r.method === 'DELETE' && r.path.includes(`/files/${fileId}/`)).length;

  try {
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (s) => {
        sandbox.reset();
        const n = ++run;
        const expected: Record<string, Values> = Object.fromEntries(OFILES.map((id, i) => [id, { ...s.initial[i] }]));
        reseed(expected);
        writeFileSync(join(dir, `pids${n}.txt`), `${OFILES.join('\n')}\n`);
        const journal = `p${n}.journal`;
        const backup = `${journal}.backup.jsonl`;
        const clear = [
          'oracle',
          'delete-metadata',
          '--collection',
          'K',
          '--field',
          'A',
          '--field',
          'B',
          '--files-from',
          `pids${n}.txt`,
          '--journal',
          journal,
          '--failed-out',
          `pfailed${n}.txt`,
          '--overwrite',
          '--concurrency',
          '1',
        ];
        const runClear = async (cueRun: { refuse: number[]; killAt: number | undefined }) => {
          cue.refuse = new Set(cueRun.refuse.map((i) => OFILES[i] as string));
          cue.killAt = cueRun.killAt === undefined ? undefined : OFILES[cueRun.killAt];
          const deletesBefore = cue.killAt === undefined ? 0 : deletesOf(cue.killAt);
          cue.cli = startCli(clear, { env: oracleEnv, cwd: dir, timeoutMs: 60_000 });
          const result = await cue.cli.result;
          cue.cli = undefined;
          if (result.signal === 'SIGKILL' && cue.killAt !== undefined) {
            seen.kills++;
            // The DELETE the killed run sent reaches the server all the same.
            for (let i = 0; i < 1000 && deletesOf(cue.killAt) === deletesBefore; i++) {
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            expect(deletesOf(cue.killAt)).toBe(deletesBefore + 1);
          } else {
            expect(result.stderr.replace(/^error: P\d: .*HTTP 400.*\n/gm, '')).toBe('');
            // Exit 1 exactly when a DELETE was refused (the summary counts it failed).
            const failed = Number(/ (\d+) failed/.exec(result.stdout)?.[1]);
            expect(result.code).toBe(failed > 0 ? 1 : 0);
            if (cue.refuse.size === 0) expect(failed).toBe(0);
          }
        };
        /** Every expected value in place, or put back by a restore (then the state is put back as it was). */
        const check = async (): Promise<void> => {
          const now = own();
          if (existsSync(join(dir, backup))) {
            const restored = await restoreIn(backup);
            expect([0, 3]).toContain(restored.code);
            const docs = restored.stdout
              .trimEnd()
              .split('\n')
              .map((l) => JSON.parse(l));
            for (const left of docs.slice(0, -1)) {
              seen.changedReported++;
              expect(left.outcome).toBe('changed');
              for (const [field, { now: held }] of Object.entries(left.fields as Record<string, { now: string }>)) {
                // Left by the restore: the operator's value, which the restore did not overwrite.
                expect(held).toBe(expected[left.fileId]?.[field]);
              }
            }
          }
          expect(own()).toEqual(expected);
          reseed(now);
        };

        await runClear(s.clear);
        await check();
        for (const step of s.steps) {
          if (step.kind === 'edit') {
            const id = OFILES[step.file] as string;
            if (own()[id]?.[step.field] === undefined) seen.editsOfCleared++;
            const answer = await fetch(`${sandbox.oracleBaseUrl}/files/${id}/metadata`, {
              method: 'POST',
              headers: {
                authorization: `Basic ${Buffer.from('owner:x').toString('base64')}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ collection: 'K', [step.field]: step.value }),
            });
            expect(answer.status).toBe(200);
            (expected[id] as Values)[step.field] = step.value;
          } else if (step.kind === 'resume') {
            await runClear(step.run);
          } else if (existsSync(join(dir, backup))) {
            const restored = await restoreIn(backup);
            expect([0, 3]).toContain(restored.code);
            expect(own()).toEqual(expected);
          }
          await check();
        }
      }),
      { numRuns: 15, seed: 20261207 },
    );
    expect(seen.kills).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.editsOfCleared).toBeGreaterThan(0);
    expect(seen.changedReported).toBeGreaterThan(0);
  } finally {
    await proxy.close();
  }
}, 240_000);
