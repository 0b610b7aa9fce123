/**
 * Edge Impulse restore throughput (`npm run bench`, section "edge-impulse-restore"): the built CLI,
 * run as an operator runs it, against the sandbox in this process on loopback. Per run, the same
 * samples are seeded (a metadata key with 50 distinct values), cleared by `edge-impulse
 * clear-metadata` with its backup (the baseline: the samples listed page by page, backed up, then
 * cleared by ID), then put back by `metaclear restore <backup>` (the current values listed, then
 * one batch add per distinct value by ID); and, seeded again, cleared with --no-backup (the filter
 * sent once), which tells what the listing and the backup cost the clear. Samples per second, wall
 * clock from spawn to exit. Every run is checked: the clear cleared every sample, the restore gave
 * back every value.
 *
 * Sizes: BENCH_RESTORE_SAMPLES (default 5000), BENCH_RESTORE_RUNS (default: --runs, at most 3).
 * BENCH_EI_CLI: the CLI to run (default: this checkout's build).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { REPO } from './fixtures.js';
import { count } from './oracle-restore.js';
import { type BenchOptions, factor, formatSummary, type Row, type Section } from './report.js';
import { summarize } from './stats.js';
import { timeNodeScript } from './subprocess.js';

/** BENCH_EI_CLI runs another build of the CLI (e.g. an older one, to measure before a change). */
const CLI = process.env.BENCH_EI_CLI ?? join(REPO, 'dist', 'esm', 'cli', 'main.js');
const PROJECT = 1;
const siteOf = (id: number): string => `site ${id % 50}`;

function seed(sandbox: Sandbox, samples: number): void {
  sandbox.reset();
  sandbox.edgeImpulse.addSamples(
    PROJECT,
    Array.from({ length: samples }, (_, i) => ({
      id: i + 1,
      category: 'training',
      metadata: { site: siteOf(i + 1) },
    })),
  );
}

function check(sandbox: Sandbox, samples: number, expect: 'cleared' | 'restored'): void {
  for (const sample of sandbox.edgeImpulse.samples(PROJECT)) {
    const want = expect === 'cleared' ? undefined : siteOf(sample.id);
    if (sample.metadata.site !== want) {
      throw new Error(
        `edge-impulse-restore: sample ${sample.id} has site ${JSON.stringify(sample.metadata.site)} after the ${expect === 'cleared' ? 'clear' : 'restore'}`,
      );
    }
  }
  if (sandbox.edgeImpulse.samples(PROJECT).length !== samples) throw new Error('edge-impulse-restore: samples lost');
}

export const edgeImpulseRestoreSection: Section = {
  name: 'edge-impulse-restore',
  async run(options: BenchOptions): Promise<Row[]> {
    if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run npm run build first`);
    const samples = count('BENCH_RESTORE_SAMPLES', 5000);
    const runs = count('BENCH_RESTORE_RUNS', Math.min(options.runs, 3));
    const dir = mkdtempSync(join(tmpdir(), 'metaclear-bench-ei-restore-'));
    // Every clear and add applies at once: no job, so no status polls (and their waits) are timed.
    const sandbox = await startSandbox({ jobThreshold: samples + 1 });
    try {
      const env = { EDGE_IMPULSE_API_KEY: 'bench-key', EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl };
      const clearArgs = ['edge-impulse', 'clear-metadata', '--project', String(PROJECT), '--category', 'training'];
      const cli = (args: string[]) => timeNodeScript(CLI, [...args], { cwd: dir }, [], env);
      const clearMs: number[] = [];
      const restoreMs: number[] = [];
      const plainMs: number[] = [];
      for (let run = 0; run < runs; run++) {
        options.log(`edge-impulse-restore: run ${run + 1} of ${runs}, ${samples} samples`);
        seed(sandbox, samples);
        const backup = `b${run}.jsonl`;
        clearMs.push((await cli([...clearArgs, '--key', 'site', '--backup', backup])).ms);
        check(sandbox, samples, 'cleared');
        restoreMs.push((await cli(['restore', backup])).ms);
        check(sandbox, samples, 'restored');
        seed(sandbox, samples);
        plainMs.push((await cli([...clearArgs, '--key', 'site', '--no-backup'])).ms);
        check(sandbox, samples, 'cleared');
      }
      const rate = (ms: number[]) => summarize(ms.map((m) => (samples * 1000) / m));
      const clear = rate(clearMs);
      const restore = rate(restoreMs);
      const plain = rate(plainMs);
      const perSecond = (s: ReturnType<typeof summarize>) =>
        `${s.median.toFixed(0)} samples/s${s.n > 1 ? ` (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : ''}`;
      const note = `${samples} samples, 50 distinct values, ${runs} runs, built CLI against the sandbox on loopback (wall clock)`;
      return [
        {
          section: 'edge-impulse-restore',
          case: 'clear with its backup (list, backup, clear by ID)',
          value: perSecond(clear),
          baseline: '—',
          ratio: '—',
          note: `${note}; ${formatSummary(summarize(clearMs), 'ms')} per run`,
        },
        {
          section: 'edge-impulse-restore',
          case: 'restore of that backup (list, one batch add per value by ID)',
          value: perSecond(restore),
          baseline: perSecond(clear),
          ratio: factor(restore.median, clear.median),
          note: `restore throughput / the clear's, same samples, same server; goal ≥ 0.8×; ${formatSummary(summarize(restoreMs), 'ms')} per run`,
        },
        {
          section: 'edge-impulse-restore',
          case: 'clear --no-backup (the filter sent once)',
          value: perSecond(plain),
          baseline: perSecond(clear),
          ratio: factor(plain.median, clear.median),
          note: 'what the listing and the backup cost the clear (above 1×: the backed-up clear is that much slower)',
        },
      ];
    } finally {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
