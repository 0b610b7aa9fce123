/**
 * The API change report as text (for people), JSON (for programs) and GitHub Actions
 * workflow commands (annotations on the pull request).
 */

import { type ApiChange, type ApiReport, type ChangeType, countByType } from './api-changes.js';
import { GENERATED_DIR } from './apis.js';
import { PipelineError } from './errors.js';

export const REPORT_FORMATS = ['text', 'json', 'github-actions'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What `--fail-on` accepts: the change types that make the run fail. */
export const FAIL_ON = {
  none: [],
  breaking: ['breaking'],
  any: ['breaking', 'deprecated', 'unclassified', 'non-breaking'],
} as const;
export type FailOn = keyof typeof FAIL_ON;

export function failingChanges(reports: readonly ApiReport[], failOn: FailOn): ApiChange[] {
  const types: readonly ChangeType[] = FAIL_ON[failOn];
  return reports.flatMap((r) => r.changes.filter((c) => types.includes(c.type)));
}

/**
 * What the new bundles were compared with: the committed files of generated/ (`undefined`) or
 * the bundles at a git ref (`--base`).
 */
export type ReportBase = string | undefined;

function summary(report: ApiReport, base: ReportBase): string {
  if (report.status === 'added') {
    return `new API (no ${base === undefined ? 'committed bundle' : `bundle at ${base}`} to compare with)`;
  }
  if (report.status === 'removed') return 'API removed';
  const counts = countByType(report.changes);
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${n} ${type}`);
  return parts.length > 0 ? parts.join(', ') : 'no change for callers (formatting or order only)';
}

/**
 * One block per API, breaking changes first. Annotation changes (descriptions, examples,
 * summaries) are counted, not listed.
 */
export function formatText(reports: readonly ApiReport[], base?: ReportBase): string {
  if (reports.length === 0) return '';
  const before =
    base === undefined
      ? `committed ${GENERATED_DIR}/<api>/openapi.json`
      : `${GENERATED_DIR}/<api>/openapi.json at ${base}`;
  const lines = [`API changes (${before} → new bundle):`];
  for (const report of reports) {
    lines.push(`${report.api}: ${summary(report, base)}`);
    for (const change of report.changes) {
      if (change.type === 'annotation') continue;
      const where = change.operation ? ` (${change.operation})` : '';
      lines.push(`  ${change.type.padEnd(12)} ${change.description}${where}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface JsonReport {
  apis: ApiReport[];
  counts: Record<ChangeType, number>;
}

export function formatJson(reports: readonly ApiReport[], extra: Record<string, unknown> = {}): string {
  const report: JsonReport & Record<string, unknown> = {
    apis: [...reports],
    counts: countByType(reports.flatMap((r) => r.changes)),
    ...extra,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Escapes a workflow command's message (data) or property value. */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const LEVEL: Record<ChangeType, 'error' | 'warning' | 'notice'> = {
  breaking: 'error',
  deprecated: 'warning',
  unclassified: 'warning',
  'non-breaking': 'notice',
  annotation: 'notice',
};

/** One `::error` / `::warning` / `::notice` line per change, on the committed bundle's file. */
export function formatGithubActions(reports: readonly ApiReport[], base?: ReportBase): string {
  const lines: string[] = [];
  for (const report of reports) {
    const file = `${GENERATED_DIR}/${report.api}/openapi.json`;
    if (report.status === 'added') {
      lines.push(
        `::notice file=${escapeProperty(file)},title=${escapeProperty(`API ${report.api}`)}::${escapeData(summary(report, base))}`,
      );
      continue;
    }
    for (const change of report.changes) {
      if (change.type === 'annotation') continue;
      const title = `${change.type} API change (${report.api})`;
      const where = change.operation ? ` (${change.operation})` : '';
      lines.push(
        `::${LEVEL[change.type]} file=${escapeProperty(file)},title=${escapeProperty(title)}::${escapeData(`${change.description}${where} at ${change.pointer}`)}`,
      );
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** The report options of `generate` and `specs:update`, checked: `--format` and `--fail-on`. */
export function reportOptions(values: { format: string; 'fail-on': string }): { format: ReportFormat; failOn: FailOn } {
  const format = values.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    throw new PipelineError(`--format ${JSON.stringify(values.format)} is not a known format`, {
      reason: `expected one of ${REPORT_FORMATS.join(', ')}`,
    });
  }
  const failOn = values['fail-on'] as FailOn;
  if (!Object.hasOwn(FAIL_ON, failOn)) {
    throw new PipelineError(`--fail-on ${JSON.stringify(values['fail-on'])} is not a known level`, {
      reason: `expected one of ${Object.keys(FAIL_ON).join(', ')}`,
    });
  }
  return { format, failOn };
}

/**
 * The report in the chosen format (`extra`: what the JSON form carries besides the APIs;
 * `base`: the git ref compared with, when not the committed files).
 */
export function formatReport(
  format: ReportFormat,
  reports: readonly ApiReport[],
  extra: Record<string, unknown>,
  base?: ReportBase,
): string {
  if (format === 'text') return formatText(reports, base);
  if (format === 'json') return formatJson(reports, base === undefined ? extra : { ...extra, base });
  return formatGithubActions(reports, base);
}
