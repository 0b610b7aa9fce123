/**
 * Property: over random sequences of edits, removed samples, failed jobs and jobs left running
 * around one `edge-impulse clear-metadata` (its jobs not followed) and `metaclear restore`, every
 * backed-up value is, after the restore, either in place or listed by it as undone (changed since
 * the backup: the sample holds another value; missing: the sample is gone; failed: it holds none),
 * with the exit status that says so; nothing the restore reported is undone later by a job still
 * running; the samples outside the backup are left as they were; and after a failure, running the
 * restore again puts back what failed. The CLI runs in-process, over HTTP to the sandbox, with
 * real files. The sandbox finishes a job on its first status request: only a poll advances it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { runCli } from '../../../src/cli/program.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { jobStatus } from '../../sandbox/http.js';

const PROJECT = 1;
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ jobThreshold: 3, jobPolls: 1 });
  dir = mkdtempSync(join(tmpdir(), 'metaclear-ei-restore-property-'));
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
    env: { EDGE_IMPULSE_API_KEY: 'property-key-2', EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl },
    stdin: Readable.from([]),
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    isTTY: false,
    cwd: dir,
    onSignal: () => () => undefined,
  });
  return { code, stdout, stderr };
}

const VALUES = ['a', 'b', '', 'é'];
type Step =
  | { kind: 'edit'; sample: number; value: string | undefined }
  | { kind: 'remove'; sample: number }
  | { kind: 'failNextJob' }
  | { kind: 'pollJobs' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('edit' as const),
    sample: fc.integer({ min: 1, max: 30 }),
    value: fc.option(fc.constantFrom('edited', ...VALUES), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('remove' as const), sample: fc.integer({ min: 1, max: 30 }) }),
  fc.constant<Step>({ kind: 'failNextJob' }),
  fc.constant<Step>({ kind: 'pollJobs' }),
);

const caseArb = fc.record({
  samples: fc.array(
    fc.record({ value: fc.option(fc.constantFrom(...VALUES), { nil: undefined }), idle: fc.boolean() }),
    {
      minLength: 1,
      maxLength: 30,
    },
  ),
  label: fc.boolean(),
  beforeRestore: fc.array(stepArb, { maxLength: 6 }),
});

const metadataNow = () => new Map(sandbox.edgeImpulse.samples(PROJECT).map((s) => [s.id, { ...s.metadata }]));

async function apply(step: Step): Promise<void> {
  if (step.kind === 'edit') {
    if (sandbox.edgeImpulse.sample(PROJECT, step.sample)) {
      sandbox.edgeImpulse.setSampleMetadata(PROJECT, step.sample, 'k', step.value);
    }
  } else if (step.kind === 'remove') sandbox.edgeImpulse.removeSample(PROJECT, step.sample);
  else if (step.kind === 'failNextJob') sandbox.edgeImpulse.failNextJob(PROJECT, 'armed by the property');
  else await pollJobs();
}

/** Advances every job still running (what the server does in its own time). */
async function pollJobs(): Promise<void> {
  for (const job of sandbox.edgeImpulse.jobs(PROJECT)) {
    if (job.finished === undefined) await jobStatus(sandbox, PROJECT, job.id);
  }
}

interface Undone {
  id: number;
  value: string;
  outcome: 'changed' | 'missing' | 'failed';
  current?: string | null;
}

/** Runs the restore and checks what it reported against what the samples hold; returns its undone entries. */
async function restoreAndCheck(backup: string, entries: { id: number; value: string }[]): Promise<Undone[]> {
  const before = metadataNow();
  const run = await cli(['restore', backup, '--json']);
  const document = JSON.parse(run.stdout) as Record<string, unknown> & { undone: Undone[] };
  const after = metadataNow();
  // Nothing still running can undo what it reported.
  expect(sandbox.edgeImpulse.jobs(PROJECT).every((j) => j.finished !== undefined)).toBe(true);
  const undone = new Map(document.undone.map((u) => [u.id, u]));
  const ids = new Set(entries.map((e) => e.id));
  for (const entry of entries) {
    const listed = undone.get(entry.id);
    const sample = after.get(entry.id);
    if (listed === undefined) {
      expect(sample?.k).toBe(entry.value);
      continue;
    }
    if (listed.outcome === 'missing') expect(sample).toBeUndefined();
    else if (listed.outcome === 'failed') expect(sample?.k).toBeUndefined();
    else {
      expect(sample?.k).not.toBe(entry.value);
      expect(sample?.k ?? null).toBe(listed.current);
    }
  }
  // Samples outside the backup are left as they were.
  for (const [id, metadata] of before) if (!ids.has(id)) expect(after.get(id)).toEqual(metadata);
  const outcomes = document.undone.map((u) => u.outcome);
  const expected = outcomes.includes('failed') ? 1 : outcomes.length > 0 ? 3 : 0;
  expect(run.code).toBe(expected);
  expect(document.ok).toBe(expected === 0);
  expect(
    (document.restored as number) +
      (document.unchanged as number) +
      (document.changed as number) +
      (document.missing as number) +
      (document.failed as number),
  ).toBe(entries.length);
  return document.undone;
}

let round = 0;
it('after a restore, every backed-up value is in place or listed as undone, and stays so', async () => {
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      sandbox.reset();
      sandbox.edgeImpulse.addSamples(
        PROJECT,
        c.samples.map((s, i) => ({
          id: i + 1,
          label: s.idle ? 'idle' : 'wave',
          metadata: s.value === undefined ? { other: 'o' } : { k: s.value, other: 'o' },
        })),
      );
      const holders = c.samples
        .map((s, i) => ({ id: i + 1, value: s.value, idle: s.idle }))
        .filter((s) => s.value !== undefined && (!c.label || s.idle))
        .map((s) => ({ id: s.id, value: s.value as string }));
      const backup = `b${++round}.jsonl`;
      const clear = await cli([
        'edge-impulse',
        'clear-metadata',
        '--project',
        String(PROJECT),
        '--category',
        'training',
        '--key',
        'k',
        ...(c.label ? ['--label', 'idle'] : []),
        '--backup',
        backup,
      ]);
      expect(clear.code).toBe(0);
      if (holders.length === 0) return;
      for (const step of c.beforeRestore) await apply(step);
      const undone = await restoreAndCheck(backup, holders);
      if (undone.some((u) => u.outcome === 'failed')) {
        // Run again: what failed is put back (nothing is armed to fail now).
        const again = await restoreAndCheck(backup, holders);
        expect(again.some((u) => u.outcome === 'failed')).toBe(false);
      }
      // Every job ended: what the restore reported is what the samples hold.
      const settled = metadataNow();
      await pollJobs();
      expect(metadataNow()).toEqual(settled);
    }),
    { numRuns: 30, seed: 20261207 },
  );
}, 240_000);
