/**
 * Entry for `npm run generate [-- --check | --force] [--format <f>] [--fail-on <level>] [--root <dir>]`.
 *
 * For every API in redocly.yaml: lint → bundle → types, writing generated/<api>/openapi.json
 * and generated/<api>/schema.d.ts. Nothing is written unless every step of every API
 * succeeded. An unchanged tree is recognised from a fingerprint of its inputs, without
 * loading the tools. --check regenerates in memory, writes nothing, and exits 1 listing the
 * files of generated/ that are out of date.
 *
 * Whenever a bundle differs from the committed one, the run reports what changed for callers
 * (api-changes.ts), breaking changes first: in words (--format text, the default), as JSON
 * (--format json) or as GitHub Actions annotations (--format github-actions). --fail-on
 * breaking (or any) makes a run that finds such a change exit 1 and write nothing.
 *
 * --base <git-ref> compares with the bundles committed at that ref instead (`git show
 * <ref>:generated/<api>/openapi.json`; an API with none in the ref's tree is new), so a pull
 * request that commits its regenerated files is still gated: `generate --check --base
 * origin/main --fail-on breaking` exits 1 if generated/ is stale or if a change of that kind
 * was found (an API or operation removed is breaking), and 2 if the base cannot be read (the
 * message names the ref and the path). Arguments are parsed by entry.ts: an unknown flag is
 * exit 2 with the usage line.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { annotation, failureAnnotations } from './annotations.js';
import { changeReports, gitBundles } from './api-changes.js';
import { formatJson, formatReport, reportOptions } from './api-changes-format.js';
import { checkGateFlags, type Decision, decide, readVersions, type Versions } from './api-gate.js';
import { GENERATED_DIR } from './apis.js';
import { type Parsed, runEntry } from './entry.js';
import { PipelineError } from './errors.js';
import { listFiles, readIfExists, sha256 } from './files.js';
import { currentSources, fingerprintOf, fixedInputs, type Sources } from './fingerprint.js';
import { startExampleLint } from './lint-thread.js';
import { compareTree, isClean, replaceTree, type Tree } from './output.js';

const USAGE =
  'usage: npm run generate [-- --check | --force] [--format text|json|github-actions|markdown] [--fail-on none|breaking|any] [--base <git-ref> [--check-version]] [--root <dir>]';
const CACHE = join('node_modules', '.cache', 'metaclear', 'generate.json');

interface Cache {
  inputs: string;
  /** The files the last build read, with the hash of what it read (see fingerprint.ts). */
  sources?: Record<string, string>;
  outputs: Record<string, string>;
}

function readCache(rootDir: string): Cache | undefined {
  const text = readIfExists(join(rootDir, CACHE));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Cache;
  } catch {
    return undefined;
  }
}

function writeCache(rootDir: string, inputs: string, sources: Sources, tree: Tree): void {
  const outputs = Object.fromEntries([...tree].map(([path, content]) => [path, sha256(content)]));
  const cache: Cache = { inputs, sources: Object.fromEntries(sources), outputs };
  mkdirSync(join(rootDir, CACHE, '..'), { recursive: true });
  writeFileSync(join(rootDir, CACHE), `${JSON.stringify(cache, null, 2)}\n`);
}

/**
 * True when the inputs are those of the last run (the files its build read included, as they
 * are now) and generated/ still holds what it wrote.
 */
function isFresh(rootDir: string, fixed: readonly string[], cache: Cache | undefined): boolean {
  if (!cache?.sources) return false;
  if (cache.inputs !== fingerprintOf(fixed, currentSources(Object.keys(cache.sources)))) return false;
  const dir = join(rootDir, GENERATED_DIR);
  const files = listFiles(dir);
  const expected = Object.keys(cache.outputs).sort();
  if (files.length !== expected.length || files.some((f, i) => f !== expected[i])) return false;
  return files.every((f) => sha256(readFileSync(join(dir, f))) === cache.outputs[f]);
}

const ARGS = {
  options: {
    check: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', default: 'none' },
    'check-version': { type: 'boolean', default: false },
    root: { type: 'string', default: process.cwd() },
    base: { type: 'string' },
  },
} as const;

type Values = Parsed<typeof ARGS>['values'];

/** A reason the run fails after the build: what went wrong and what clears it. */
interface Refusal {
  message: string;
  /** The file an annotation points at, when there is one. */
  file?: string;
}

/** What clears refused changes: the version bump, or a run without the flag. */
function clearHint(decision: Decision, values: Values, versions: Versions | undefined): string {
  if (values.base === undefined) {
    return `to accept them, run again without --fail-on ${values['fail-on']}; to refuse them, undo the spec change`;
  }
  if (versions?.unreadable) return `the version cannot acknowledge them: ${versions.unreadable}`;
  if (!decision.neededVersion) return 'to refuse them, undo the spec change';
  return `to release them, set package.json's "version" to ${decision.neededVersion} or higher (${decision.neededWhy}) and commit it; to refuse them, undo the spec change`;
}

function refusals(decision: Decision, values: Values, versions: Versions | undefined): Refusal[] {
  const out: Refusal[] = [];
  const since = values.base === undefined ? '' : ` since ${values.base}`;
  if (decision.refused.length > 0) {
    out.push({
      message: `${decision.refused.length} change(s) of a kind --fail-on ${values['fail-on']} refuses${since}, not acknowledged by the package's version: ${clearHint(decision, values, versions)}`,
    });
  }
  if (values['check-version'] && versions) {
    if (versions.unreadable) {
      out.push({ message: `--check-version cannot compare versions: ${versions.unreadable}`, file: 'package.json' });
    } else if (decision.versionBehind) {
      const now = versions.current?.text;
      const was = versions.base?.text;
      out.push({
        file: 'package.json',
        message: `package.json's version ${now === was ? `is still ${now}` : `went ${was} → ${now}`}${since}, but the API changes need ${decision.neededVersion} or higher (${decision.neededWhy}): set "version" to it and commit it`,
      });
    }
  }
  return out;
}

async function main({ values }: Parsed<typeof ARGS>): Promise<number> {
  const { format, failOn } = reportOptions(values);
  checkGateFlags(values);
  // With a machine-readable format, stdout carries that format alone; messages go to stderr.
  const say = (text: string): void => {
    (format === 'text' ? process.stdout : process.stderr).write(text);
  };
  const name = values.check ? 'generate --check' : 'generate';
  /** A failure after the build: on stderr, and as an `::error` line with --format github-actions. */
  const fail = (refusal: Refusal): void => {
    process.stderr.write(`${name}: ${refusal.message}\n`);
    if (format === 'github-actions') {
      process.stdout.write(
        `${annotation('error', { file: refusal.file, title: `${name} failed` }, refusal.message)}\n`,
      );
    }
  };
  const rootDir = resolve(values.root);
  // performance.now() counts from the start of the process: the figure includes start-up and imports.
  const elapsed = (): string => `${(performance.now() / 1000).toFixed(2)}s`;
  // Read before any build: a spec edited while this run builds is seen by the next one.
  const fixed = fixedInputs(rootDir);
  // Resolved before any work, so a bad ref fails at once.
  const base = values.base === undefined ? undefined : gitBundles(rootDir, values.base);
  const versions = base && values.base !== undefined ? readVersions(rootDir, base, values.base) : undefined;
  if (values['check-version'] && versions?.unreadable) {
    throw new PipelineError(`--check-version cannot compare versions: ${versions.unreadable}`, {
      reason: 'expected package.json with a semver "version" at the base and in the working tree',
      exitCode: 2,
    });
  }

  if (!values.check && !values.force && base === undefined && isFresh(rootDir, fixed, readCache(rootDir))) {
    say(`generate: nothing changed since the last run; nothing written (${elapsed()})\n`);
    if (format === 'json') process.stdout.write(formatJson([], { files: { changed: [], missing: [], extra: [] } }));
    if (format === 'markdown') process.stdout.write(formatReport(format, [], {}));
    return 0;
  }

  // The tools are loaded only when there is work for them; the lint worker, if the specs call
  // for one, starts loading them in its thread while this one does.
  const exampleLint = startExampleLint(rootDir);
  const { buildTree } = await import('./pipeline.js');
  const { tree, sources } = await buildTree(rootDir, exampleLint);
  const drift = compareTree(rootDir, tree);
  // Read from generated/ before anything is written there.
  const reports = base
    ? await changeReports(rootDir, tree, base)
    : isClean(drift)
      ? []
      : await changeReports(rootDir, tree);
  const decision = decide(reports, failOn, versions);
  const version = versions?.base
    ? {
        base: versions.base.text,
        ...(decision.neededVersion ? { needed: decision.neededVersion, why: decision.neededWhy } : {}),
      }
    : undefined;
  const extra = {
    files: drift,
    ...(versions
      ? {
          version: {
            base: versions.base?.text ?? null,
            current: versions.current?.text ?? null,
            needed: decision.neededVersion ?? null,
          },
        }
      : {}),
  };
  process.stdout.write(
    formatReport(format, reports, extra, values.base, { acknowledged: new Set(decision.acknowledged), version }),
  );
  if (decision.acknowledged.length > 0) {
    process.stderr.write(
      `${name}: ${decision.acknowledged.length} change(s) that --fail-on ${failOn} refuses, acknowledged by package.json's version (${versions?.base?.text} at ${values.base} → ${versions?.current?.text})\n`,
    );
  }
  const refused = refusals(decision, values, versions);
  const lines = [
    ...drift.changed.map((f) => `  changed: ${GENERATED_DIR}/${f}`),
    ...drift.missing.map((f) => `  missing: ${GENERATED_DIR}/${f}`),
    ...drift.extra.map((f) => `  not generated: ${GENERATED_DIR}/${f}`),
  ];

  if (values.check) {
    if (!isClean(drift)) {
      fail({
        message: `${GENERATED_DIR}/ is out of date with specs/:\n${lines.join('\n')}\nrun "npm run generate" and commit the result`,
        file: `${GENERATED_DIR}/${drift.changed[0] ?? drift.missing[0] ?? drift.extra[0]}`,
      });
    } else say(`generate --check: ${GENERATED_DIR}/ is up to date (${tree.size} files, ${elapsed()})\n`);
    for (const r of refused) fail(r);
    return isClean(drift) && refused.length === 0 ? 0 : 1;
  }

  if (refused.length > 0) {
    for (const r of refused) fail(r);
    process.stderr.write(`generate: ${GENERATED_DIR}/ was left as it was\n`);
    return 1;
  }
  if (isClean(drift)) {
    say(`generate: ${GENERATED_DIR}/ already matches the specs; nothing written (${elapsed()})\n`);
  } else {
    replaceTree(rootDir, tree);
    say(`generate: wrote ${GENERATED_DIR}/ (${elapsed()})\n${lines.join('\n')}\n`);
  }
  writeCache(rootDir, fingerprintOf(fixed, sources), sources, tree);
  return 0;
}

/** `main`, with every failure it throws (lint, overlay, a base it cannot read) also annotated. */
async function annotated(parsed: Parsed<typeof ARGS>): Promise<number> {
  try {
    return await main(parsed);
  } catch (error) {
    if (parsed.values.format === 'github-actions') {
      const message = error instanceof Error ? error.message : String(error);
      process.stdout.write(failureAnnotations(parsed.values.check ? 'generate --check' : 'generate', message));
    }
    throw error;
  }
}

void runEntry(
  { name: 'generate', usage: USAGE, args: ARGS, failure: `failed; ${GENERATED_DIR}/ was left as it was` },
  annotated,
);
