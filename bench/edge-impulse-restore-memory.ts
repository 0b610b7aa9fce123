/**
 * Edge Impulse restore memory against project size (`npm run bench`, section
 * "edge-impulse-restore-memory"): the built CLI restores the same 10-entry backup (IDs spread evenly
 * over the project, their values cleared) in a project of BENCH_RESTORE_SMALL_PROJECT samples
 * (default 10,000: the baseline) and of BENCH_RESTORE_LARGE_PROJECT (default 1,000,000), served by a
 * purpose-built server (synthetic-samples-server.ts). Peak RSS of the restore's process, and wall
 * clock. Goal: no growth with project size (the restore holds nothing per sample of the project).
 * Every run is checked: the 10 values are back. BENCH_EI_CLI runs another build of the CLI (e.g. an
 * older one, to measure before a change).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './fixtures.js';
import { count } from './oracle-restore.js';
import { type BenchOptions, factor, formatSummary, type Row, type Section } from './report.js';
import { summarize } from './stats.js';
import { timeNodeScript } from './subprocess.js';
import { siteOf, startSyntheticServer } from './synthetic-samples-server.js';

const CLI = process.env.BENCH_EI_CLI ?? join(REPO, 'dist', 'esm', 'cli', 'main.js');
const ENTRIES = 10;

async function measure(dir: string, samples: number, runs: number, log: (m: string) => void) {
  const ms: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < runs; run++) {
    log(`edge-impulse-restore-memory: ${samples} samples, run ${run + 1} of ${runs}`);
    const server = await startSyntheticServer(samples);
    try {
      const ids = Array.from({ length: ENTRIES }, (_, i) => Math.round(((i + 0.5) * samples) / ENTRIES));
      for (const id of ids) server.cleared.set(id, undefined);
      const backup = join(dir, `b-${samples}-${run}.jsonl`);
      const header = {
        metaclear: 'backup',
        version: 1,
        api: 'edge-impulse',
        baseUrl: server.baseUrl,
        target: { projectId: 1, category: 'training', metadataKey: 'site' },
        created: new Date().toISOString(),
      };
      const lines = [header, ...[...ids].reverse().map((id) => ({ id, value: siteOf(id) }))];
      writeFileSync(backup, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const env = { EDGE_IMPULSE_API_KEY: 'bench-key', EDGE_IMPULSE_BASE_URL: server.baseUrl };
      const timed = await timeNodeScript(CLI, ['restore', backup], { cwd: dir }, [], env);
      for (const id of ids) {
        if (server.cleared.get(id) !== siteOf(id))
          throw new Error(`edge-impulse-restore-memory: sample ${id} not restored`);
      }
      ms.push(timed.ms);
      rss.push(timed.peakRssMB);
      log(`  ${timed.peakRssMB.toFixed(1)} MB, ${timed.ms.toFixed(0)} ms, ${server.lists} listSamples requests`);
    } finally {
      await server.close();
    }
  }
  return { ms: summarize(ms), rss: summarize(rss) };
}

export const edgeImpulseRestoreMemorySection: Section = {
  name: 'edge-impulse-restore-memory',
  async run(options: BenchOptions): Promise<Row[]> {
    if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run npm run build first`);
    const small = count('BENCH_RESTORE_SMALL_PROJECT', 10_000);
    const large = count('BENCH_RESTORE_LARGE_PROJECT', 1_000_000);
    const runs = count('BENCH_RESTORE_RUNS', Math.min(options.runs, 3));
    const dir = mkdtempSync(join(tmpdir(), 'metaclear-bench-ei-restore-memory-'));
    try {
      const base = await measure(dir, small, runs, options.log);
      const big = await measure(dir, large, runs, options.log);
      const note = `restore of a ${ENTRIES}-entry backup (IDs spread over the project), built CLI, purpose-built server on loopback, ${runs} runs`;
      return [
        {
          section: 'edge-impulse-restore-memory',
          case: `peak RSS, project of ${small.toLocaleString('en')} samples`,
          value: formatSummary(base.rss, 'MB'),
          baseline: '—',
          ratio: '—',
          note: `${note}; ${formatSummary(base.ms, 'ms')} per run`,
        },
        {
          section: 'edge-impulse-restore-memory',
          case: `peak RSS, project of ${large.toLocaleString('en')} samples`,
          value: formatSummary(big.rss, 'MB'),
          baseline: formatSummary(base.rss, 'MB'),
          ratio: factor(big.rss.median, base.rss.median),
          note: `goal: no growth with project size (≈ 1×); ${formatSummary(big.ms, 'ms')} per run`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
