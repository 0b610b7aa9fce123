/**
 * Entry for `npm run bench [-- --runs <n>] [--section <name>]...`: runs the benchmark sections
 * and prints one Markdown table, with the machine it ran on. Progress goes to stderr.
 *
 * --runs (or BENCH_RUNS): repetitions of every measurement, 5 by default; the median and the
 * min–max spread are reported. --section (or BENCH_SECTIONS=a,b): run only those sections.
 * A section is a module exporting a `Section` (report.ts); add it to SECTIONS below.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bulkSection } from './bulk.js';
import { bulkScaleSection } from './bulk-scale.js';
import { bulkTlsSection } from './bulk-tls.js';
import { clientOverheadSection } from './client-overhead.js';
import { edgeImpulseRestoreSection } from './edge-impulse-restore.js';
import { edgeImpulseRestoreMemorySection } from './edge-impulse-restore-memory.js';
import { removeAllTempDirs } from './fixtures.js';
import { oracleRestoreSection } from './oracle-restore.js';
import { pipelineSection } from './pipeline.js';
import { type BenchOptions, describeMachine, type Row, renderTable, type Section } from './report.js';
import { scaleSection } from './scale.js';
import { vendorSection } from './vendor-bindings.js';

const SECTIONS: readonly Section[] = [
  pipelineSection,
  clientOverheadSection,
  vendorSection,
  bulkSection,
  bulkScaleSection,
  bulkTlsSection,
  scaleSection,
  oracleRestoreSection,
  edgeImpulseRestoreSection,
  edgeImpulseRestoreMemorySection,
];
const DEFAULT_RUNS = 5;
const USAGE = 'usage: npm run bench [-- --runs <n>] [--section <name>]...';

function parseRuns(text: string): number {
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${text}: expected a positive integer\n${USAGE}`);
  return runs;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      section: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\nsections: ${SECTIONS.map((s) => s.name).join(', ')}\n`);
    return 0;
  }
  const runs = parseRuns(values.runs ?? process.env.BENCH_RUNS ?? String(DEFAULT_RUNS));
  const wanted = values.section ?? process.env.BENCH_SECTIONS?.split(',').map((s) => s.trim());
  const unknown = (wanted ?? []).filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown section ${unknown.join(', ')}; expected ${SECTIONS.map((s) => s.name).join(', ')}`);
  }
  const sections = wanted ? SECTIONS.filter((s) => wanted.includes(s.name)) : SECTIONS;

  const options: BenchOptions = { runs, log: (message) => process.stderr.write(`bench: ${message}\n`) };
  const loadBefore = load();
  const started = performance.now();
  const rows: Row[] = [];
  for (const section of sections) {
    options.log(`section ${section.name}`);
    rows.push(...(await section.run(options)));
  }
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);

  process.stdout.write(
    [
      '## metaclear benchmark',
      '',
      `- Machine: ${describeMachine()}`,
      `- Load average (1, 5, 15 min): ${loadBefore} before, ${load()} after; other processes skew the figures`,
      `- ${runs} runs per measurement; value = median (min–max); every ratio is against the baseline of the same run`,
      `- Took ${minutes} min`,
      '',
      renderTable(rows),
      '',
    ].join('\n'),
  );
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeAllTempDirs();
    process.exit(130);
  });
}

main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  )
  .finally(removeAllTempDirs);
