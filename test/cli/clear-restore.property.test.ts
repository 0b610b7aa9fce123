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
import { runCli } from '../../src/cli/program.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';

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
