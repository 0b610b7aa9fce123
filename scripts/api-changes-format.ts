/**
 * The API change report as text (for people), JSON (for programs), GitHub Actions workflow
 * commands (annotations on the pull request) and Markdown (the release notes' section).
 */

import { annotation } from './annotations.js';
import { type ApiChange, type ApiReport, type ChangeType, highestImpact } from './api-change-types.js';
import { countByType } from './api-changes.js';
import { GENERATED_DIR } from './apis.js';
import { PipelineError } from './errors.js';

export const REPORT_FORMATS = ['text', 'json', 'github-actions', 'markdown'] as const;
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
      const rule = change.rule ? ` [${change.rule}]` : '';
      lines.push(`  ${change.type.padEnd(12)} ${change.description}${where}${rule}`);
    }
  }
  const impact = highestImpact(reports.flatMap((r) => r.changes));
  if (impact) lines.push(`semver impact on the package: ${impact}`);
  return `${lines.join('\n')}\n`;
}

export interface JsonReport {
  apis: ApiReport[];
  counts: Record<ChangeType, number>;
  /** The highest semver impact of the changes on the package; null when there is none. */
  impact: ApiChange['impact'] | null;
}

export function formatJson(reports: readonly ApiReport[], extra: Record<string, unknown> = {}): string {
  const report: JsonReport & Record<string, unknown> = {
    apis: [...reports],
    counts: countByType(reports.flatMap((r) => r.changes)),
    impact: highestImpact(reports.flatMap((r) => r.changes)) ?? null,
    ...extra,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

const LEVEL: Record<ChangeType, 'error' | 'warning' | 'notice'> = {
  breaking: 'error',
  deprecated: 'warning',
  unclassified: 'warning',
  'non-breaking': 'notice',
  annotation: 'notice',
};

/**
 * One `::error` / `::warning` / `::notice` line per change, on the committed bundle's file; a
 * breaking change the version bump acknowledges (`acknowledged`) is a warning, not an error.
 */
export function formatGithubActions(
  reports: readonly ApiReport[],
  base?: ReportBase,
  acknowledged: ReadonlySet<ApiChange> = new Set(),
): string {
  const lines: string[] = [];
  for (const report of reports) {
    const file = `${GENERATED_DIR}/${report.api}/openapi.json`;
    if (report.status === 'added') {
      lines.push(annotation('notice', { file, title: `API ${report.api}` }, summary(report, base)));
      continue;
    }
    for (const change of report.changes) {
      if (change.type === 'annotation') continue;
      const ok = acknowledged.has(change);
      const title = `${change.type} API change (${report.api}, ${change.impact}${ok ? ', acknowledged by the version' : ''})`;
      const where = change.operation ? ` (${change.operation})` : '';
      const rule = change.rule ? ` [${change.rule}]` : '';
      lines.push(
        annotation(
          ok ? 'warning' : LEVEL[change.type],
          { file, title },
          `${change.description}${where} at ${change.pointer}${rule}`,
        ),
      );
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** A Markdown table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * The release notes' section: per API, what changed for callers with its semver impact,
 * breaking changes first; documentation changes are counted, not listed.
 */
export function formatMarkdown(reports: readonly ApiReport[], base?: ReportBase, version?: VersionNote): string {
  const lines = ['## API changes', ''];
  const impact = highestImpact(reports.flatMap((r) => r.changes));
  const since = base === undefined ? 'since the committed bundles' : `since \`${base}\``;
  if (reports.length === 0) return `${lines.join('\n')}No change for callers ${since}.\n`;
  let head = `Semver impact on the package ${since}: **${impact ?? 'none'}**.`;
  if (version?.needed && version.why) {
    head += ` ${version.why.charAt(0).toUpperCase()}${version.why.slice(1)}: ${version.base} → ${version.needed} or higher.`;
  }
  lines.push(head, '');
  for (const report of reports) {
    lines.push(`### ${report.api}`, '');
    if (report.status !== 'changed' || report.changes.length === 0) {
      lines.push(cell(summary(report, base)), '');
      if (report.status !== 'removed') continue;
    }
    const listed = report.changes.filter((c) => c.type !== 'annotation');
    const docs = report.changes.length - listed.length;
    if (listed.length > 0) {
      lines.push('| Impact | Change | Operation |', '| --- | --- | --- |');
      for (const change of listed) {
        const rule = change.rule ? ` (${change.rule})` : '';
        lines.push(
          `| ${change.impact} (${change.type}) | ${cell(change.description + rule)} | ${cell(change.operation ?? '')} |`,
        );
      }
      lines.push('');
    }
    if (docs > 0) lines.push(`And ${docs} documentation change${docs === 1 ? '' : 's'} (patch).`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** What the release notes say of the version: the base's, and the lowest that follows the changes. */
export interface VersionNote {
  base: string;
  needed?: string;
  why?: string;
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
  context: { acknowledged?: ReadonlySet<ApiChange>; version?: VersionNote | undefined } = {},
): string {
  if (format === 'text') return formatText(reports, base);
  if (format === 'json') return formatJson(reports, base === undefined ? extra : { ...extra, base });
  if (format === 'markdown') return formatMarkdown(reports, base, context.version);
  return formatGithubActions(reports, base, context.acknowledged);
}
