/**
 * Oracle restore throughput (`npm run bench`, section "oracle-restore"): the built CLI, run as an
 * operator runs it, against the sandbox in this process on loopback. Per run, the same files are
 * seeded, cleared by a bulk `oracle delete-metadata` with its backup (the baseline: a read, a
 * backup entry and a DELETE per file), then put back by `metaclear restore <backup>` (a read and an
 * assign per file); and, seeded again, cleared with --no-backup (one DELETE per file), which tells
 * what the read and the backup cost the clear. Files per second, wall clock from spawn to exit.
 * Every run is checked: the clear cleared every file, the restore gave back every value.
 *
 * Sizes: BENCH_RESTORE_FILES (default 5000), BENCH_RESTORE_RUNS (default: --runs, at most 3).
 * BENCH_ORACLE_BASELINE_CLI: another build's CLI (e.g. `dist/esm/cli/main.js` of an earlier commit):
 * each run then also clears the same files with its backup by that build, right after this one's,
 * and a row gives this build's backed-up clear against it, measured in the same run.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { REPO } from './fixtures.js';
import { type BenchOptions, factor, formatSummary, type Row, type Section } from './report.js';
import { summarize } from './stats.js';
import { timeNodeScript } from './subprocess.js';

const CLI = join(REPO, 'dist', 'esm', 'cli', 'main.js');
/** An earlier build to measure the backed-up clear against, in the same run (unset: none). */
const BASELINE_CLI = process.env.BENCH_ORACLE_BASELINE_CLI;
const OWNER = 'bench';
const PASSWORD = 'bench-password';

export function count(name: string, fallback: number): number {
  const text = process.env[name];
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${text}: expected a positive integer`);
  return n;
}

const fileId = (i: number): string => `RESTORE${String(i).padStart(7, '0')}`;
const valuesOf = (i: number): Record<string, string> => ({ A1: `one ${i}`, A2: 'two', Kept: 'three' });

function seed(sandbox: Sandbox, files: number): void {
  sandbox.reset();
  for (let i = 0; i < files; i++) {
    sandbox.oracle.addFile({ id: fileId(i), owner: OWNER, collections: { C: valuesOf(i) } });
  }
}

function check(sandbox: Sandbox, files: number, expect: 'cleared' | 'restored'): void {
  for (let i = 0; i < files; i++) {
    const values = sandbox.oracle.file(fileId(i))?.collections.C;
    const ok = isDeepStrictEqual(values, expect === 'cleared' ? { Kept: 'three' } : valuesOf(i));
    if (!ok)
      throw new Error(
        `oracle-restore: ${fileId(i)} is ${JSON.stringify(values)} after the ${expect === 'cleared' ? 'clear' : 'restore'}`,
      );
  }
}

export const oracleRestoreSection: Section = {
  name: 'oracle-restore',
  async run(options: BenchOptions): Promise<Row[]> {
    if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run npm run build first`);
    if (BASELINE_CLI !== undefined && !existsSync(BASELINE_CLI)) {
      throw new Error(`BENCH_ORACLE_BASELINE_CLI=${BASELINE_CLI} does not exist: build that checkout first`);
    }
    const files = count('BENCH_RESTORE_FILES', 5000);
    const runs = count('BENCH_RESTORE_RUNS', Math.min(options.runs, 3));
    const dir = mkdtempSync(join(tmpdir(), 'metaclear-bench-restore-'));
    const sandbox = await startSandbox();
    try {
      writeFileSync(join(dir, 'ids.txt'), `${Array.from({ length: files }, (_, i) => fileId(i)).join('\n')}\n`);
      const credentials = ['--base-url', sandbox.oracleBaseUrl, '--username', OWNER, '--password', PASSWORD];
      const clearArgs = ['oracle', 'delete-metadata', '--collection', 'C', '--field', 'A1', '--field', 'A2'];
      const cli = (args: string[], build = CLI) => timeNodeScript(build, [...args, ...credentials], { cwd: dir });
      const clearMs: number[] = [];
      const baselineMs: number[] = [];
      const restoreMs: number[] = [];
      const plainMs: number[] = [];
      const clearRss: number[] = [];
      const restoreRss: number[] = [];
      for (let run = 0; run < runs; run++) {
        options.log(`oracle-restore: run ${run + 1} of ${runs}, ${files} files`);
        seed(sandbox, files);
        const backup = `b${run}.jsonl`;
        const cleared = await cli([...clearArgs, '--files-from', 'ids.txt', '--backup', backup]);
        clearMs.push(cleared.ms);
        clearRss.push(cleared.peakRssMB);
        check(sandbox, files, 'cleared');
        const restored = await cli(['restore', backup]);
        restoreMs.push(restored.ms);
        restoreRss.push(restored.peakRssMB);
        check(sandbox, files, 'restored');
        seed(sandbox, files);
        plainMs.push((await cli([...clearArgs, '--files-from', 'ids.txt', '--no-backup'])).ms);
        check(sandbox, files, 'cleared');
        if (BASELINE_CLI !== undefined) {
          seed(sandbox, files);
          const earlier = `earlier${run}.jsonl`;
          baselineMs.push((await cli([...clearArgs, '--files-from', 'ids.txt', '--backup', earlier], BASELINE_CLI)).ms);
          check(sandbox, files, 'cleared');
        }
      }
      // Memory against the backup's length: once more with 4 times the files.
      const more = files * 4;
      options.log(`oracle-restore: peak RSS with ${more} files`);
      writeFileSync(join(dir, 'more.txt'), `${Array.from({ length: more }, (_, i) => fileId(i)).join('\n')}\n`);
      seed(sandbox, more);
      const clearedMore = await cli([...clearArgs, '--files-from', 'more.txt', '--backup', 'more.jsonl']);
      check(sandbox, more, 'cleared');
      const restoredMore = await cli(['restore', 'more.jsonl']);
      check(sandbox, more, 'restored');
      // Files per second of each run, from its wall-clock time.
      const rate = (ms: number[]) => summarize(ms.map((m) => (files * 1000) / m));
      const clear = rate(clearMs);
      const restore = rate(restoreMs);
      const plain = rate(plainMs);
      const perSecond = (s: ReturnType<typeof summarize>) =>
        `${s.median.toFixed(0)} files/s${s.n > 1 ? ` (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : ''}`;
      const note = `${files} files, ${runs} runs, concurrency 8, built CLI against the sandbox on loopback (wall clock)`;
      return [
        {
          section: 'oracle-restore',
          case: 'bulk clear with its backup (read, backup entry, DELETE per file)',
          value: perSecond(clear),
          baseline: '—',
          ratio: '—',
          note: `${note}; ${formatSummary(summarize(clearMs), 'ms')} per run`,
        },
        {
          section: 'oracle-restore',
          case: 'restore of that backup (read, assign per file)',
          value: perSecond(restore),
          baseline: perSecond(clear),
          ratio: factor(restore.median, clear.median),
          note: `restore throughput / the clear's, same files, same server; goal ≥ 0.8×; ${formatSummary(summarize(restoreMs), 'ms')} per run`,
        },
        {
          section: 'oracle-restore',
          case: `restore peak RSS, a backup of ${more} files against ${files}`,
          value: `${restoredMore.peakRssMB.toFixed(0)} MB`,
          baseline: formatSummary(summarize(restoreRss), 'MB'),
          ratio: factor(restoredMore.peakRssMB, summarize(restoreRss).median),
          note: `flat in the backup's length: near 1× for 4× the entries (the clear: ${clearedMore.peakRssMB.toFixed(0)} MB against ${formatSummary(summarize(clearRss), 'MB')})`,
        },
        {
          section: 'oracle-restore',
          case: 'bulk clear --no-backup (DELETE per file)',
          value: perSecond(plain),
          baseline: perSecond(clear),
          ratio: factor(plain.median, clear.median),
          note: 'what the read and the backup cost the clear (above 1×: the backed-up clear is that much slower)',
        },
        ...(BASELINE_CLI === undefined
          ? []
          : [
              {
                section: 'oracle-restore',
                case: 'bulk clear with its backup, against the earlier build given',
                value: perSecond(clear),
                baseline: perSecond(rate(baselineMs)),
                ratio: factor(clear.median, rate(baselineMs).median),
                note: `this build's backed-up clear / ${BASELINE_CLI}'s, the same files, interleaved in the same runs; goal ≥ 0.9×`,
              },
            ]),
      ];
    } finally {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
