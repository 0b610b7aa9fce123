/**
 * Entry for `npm run lint:specs [-- --format <format>] [--generate-ignore-file] [--root <dir>]`.
 *
 * Lints every API of redocly.yaml with the same engine and rules as `npm run generate`: its
 * files, then (when they have no open error) the API bundled with its overlays applied, whose
 * additions are checked and linted as `generate` does (see bundle.ts).
 * --format picks Redocly's output format: codeframe (default), stylish, json, checkstyle,
 * codeclimate, github-actions, markdown or summary; json and github-actions suit CI.
 * --generate-ignore-file records the current findings of vendored files (specs/<api>/vendor/)
 * in .redocly.lint-ignore.yaml, after a vendor update has been reviewed; it refuses to
 * record a finding in a hand-authored file, which must be fixed instead.
 */
import { resolve } from 'node:path';
import { formatProblems, getTotals, type OutputFormat } from '@redocly/openapi-core';
import { IGNORE_FILE, loadApis } from './apis.js';
import { lintOverlays } from './bundle.js';
import { type Parsed, runEntry } from './entry.js';
import { PipelineError } from './errors.js';
import { formatProblem, lintApi, type Problem } from './lint.js';

const FORMATS = ['codeframe', 'stylish', 'json', 'checkstyle', 'codeclimate', 'github-actions', 'markdown', 'summary'];
const VENDORED = /[\\/]vendor[\\/][^\\/]+$/;

const USAGE = `usage: npm run lint:specs [-- --format ${FORMATS.join('|')}] [--generate-ignore-file] [--root <dir>]`;
const ARGS = {
  options: {
    format: { type: 'string', default: 'codeframe' },
    'generate-ignore-file': { type: 'boolean', default: false },
    root: { type: 'string', default: process.cwd() },
  },
} as const;

async function main({ values }: Parsed<typeof ARGS>): Promise<number> {
  if (!FORMATS.includes(values.format)) {
    throw new PipelineError(`--format ${JSON.stringify(values.format)} is not a known format`, {
      reason: `expected one of ${FORMATS.join(', ')}`,
    });
  }
  const rootDir = resolve(values.root);
  const apis = await loadApis(rootDir);
  const all: Problem[] = [];
  for (const api of apis) {
    const problems: Problem[] = await lintApi(api, rootDir);
    // With the overlays applied, as generate lints them; a spec with open errors may not bundle.
    if (!problems.some((p) => !p.ignored && p.severity === 'error')) problems.push(...(await lintOverlays(api)));
    if (values['generate-ignore-file']) {
      const handAuthored = problems.filter((p) => !VENDORED.test(p.location[0]?.source.absoluteRef ?? ''));
      if (handAuthored.length > 0) {
        throw new PipelineError(`${api.name}: findings in hand-authored files cannot be ignored; fix them`, {
          findings: handAuthored.map((p) => formatProblem(p, rootDir)),
        });
      }
    }
    all.push(...problems);
  }
  if (values['generate-ignore-file']) {
    // Every API's configuration shares the one ignore file: rebuild it from all findings at once.
    const config = (apis[0] as (typeof apis)[number]).config;
    config.ignore = {};
    for (const problem of all) config.addIgnore(problem);
    config.saveIgnore();
    process.stderr.write(`lint:specs: recorded ${all.length} vendored finding(s) in ${IGNORE_FILE}\n`);
  }
  const open = values['generate-ignore-file'] ? [] : all.filter((p) => !p.ignored);
  const totals = getTotals(values['generate-ignore-file'] ? [] : all);
  formatProblems(open, {
    format: values.format as OutputFormat,
    cwd: rootDir,
    totals,
    maxProblems: 1000,
    command: 'lint',
  });
  if (values.format !== 'json') {
    const ignored = all.filter((p) => p.ignored).length;
    process.stderr.write(
      `lint:specs: ${apis.length} APIs, ${open.length} problem(s), ${ignored} vendored finding(s) ignored via ${IGNORE_FILE}\n`,
    );
  }
  return open.length === 0 ? 0 : 1;
}

void runEntry({ name: 'lint:specs', usage: USAGE, args: ARGS }, main);
