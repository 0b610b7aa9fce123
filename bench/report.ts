/** The benchmark report: its rows, the sections that produce them, and the Markdown table. */
import { cpus, totalmem } from 'node:os';
import type { Summary } from './stats.js';

/** One line of the report. Every figure is compared with a baseline measured in the same run. */
export interface Row {
  section: string;
  case: string;
  /** The measured figure, formatted (median with spread). */
  value: string;
  /** The figure it is compared with, formatted; '—' when the row is itself a baseline. */
  baseline: string;
  /** value against baseline, e.g. "3.1× faster" or "0.42×". */
  ratio: string;
  note: string;
}

export interface BenchOptions {
  /** Repetitions of every measurement (the median of them is reported). */
  runs: number;
  /** Progress messages, on stderr: stdout carries only the report. */
  log: (message: string) => void;
}

/** A group of measurements, run in turn by bench/index.ts. */
export interface Section {
  name: string;
  run: (options: BenchOptions) => Promise<Row[]>;
}

export type Unit = 'ms' | 'MB';

/** A unit that suits the magnitude of a time in milliseconds: s, ms or µs. */
function timeUnit(ms: number): { factor: number; label: string } {
  if (ms >= 1000) return { factor: 1 / 1000, label: 's' };
  if (ms >= 1) return { factor: 1, label: 'ms' };
  return { factor: 1000, label: 'µs' };
}

function digits(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A single value: "1.23 s", "412 MB". */
export function formatValue(value: number, unit: Unit): string {
  if (unit === 'MB') return `${value.toFixed(0)} MB`;
  const { factor, label } = timeUnit(value);
  return `${digits(value * factor)} ${label}`;
}

/** A median with its spread: "1.23 s (1.20–1.31)"; the spread is min–max over the runs. */
export function formatSummary(summary: Summary, unit: Unit): string {
  if (summary.n === 1) return formatValue(summary.median, unit);
  if (unit === 'MB') return `${summary.median.toFixed(0)} MB (${summary.min.toFixed(0)}–${summary.max.toFixed(0)})`;
  const { factor, label } = timeUnit(summary.median);
  return `${digits(summary.median * factor)} ${label} (${digits(summary.min * factor)}–${digits(summary.max * factor)})`;
}

/** How many times faster `value` is than `baseline` (both times, lower is better). */
export function speedup(value: number, baseline: number): string {
  const r = baseline / value;
  return r >= 1 ? `${digits(r)}× faster` : `${digits(1 / r)}× slower`;
}

/** value / baseline, as a plain factor. */
export function factor(value: number, baseline: number): string {
  return `${digits(value / baseline)}×`;
}

/** value / baseline, as a share. */
export function share(value: number, baseline: number): string {
  return `${((100 * value) / baseline).toFixed(0)} %`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['section', 'case', 'value (median, min–max)', 'baseline', 'ratio', 'note'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    lines.push(`| ${[row.section, row.case, row.value, row.baseline, row.ratio, row.note].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The machine the figures were measured on. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() || 'unknown CPU';
  const memory = (totalmem() / 2 ** 30).toFixed(1);
  return `${model}, ${cores.length} cores, ${memory} GiB RAM, Node ${process.version} (${process.platform}-${process.arch})`;
}
