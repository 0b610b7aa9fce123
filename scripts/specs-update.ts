/**
 * Entry for `npm run specs:update [-- --check] [--format <f>] [--fail-on <level>] [--date <day>] [--root <dir>]`.
 *
 * For every manifest under specs/<api>/vendor/ (vendor-manifest.ts): fetches the source again,
 * re-extracts the selection with the extractor of its kind (vendor-extractors.ts), and prints
 * the API change report: the committed bundles of generated/ against those the updated specs
 * bundle to. Then writes the vendored files that changed, with their manifests' `retrieved`
 * date, all at once.
 *
 * Nothing is written when any source cannot be fetched or extracted, when the updated specs do
 * not bundle, with --check (which exits 1 when a vendored file would change), or when
 * --fail-on finds a change of the kind it names. generated/ is never written: run
 * `npm run generate` next, as for any change to specs/.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { changeReports } from './api-changes.js';
import { failingChanges, formatReport, reportOptions } from './api-changes-format.js';
import { CONFIG_FILE, IGNORE_FILE, loadApis } from './apis.js';
import { type Parsed, runEntry } from './entry.js';
import { PipelineError } from './errors.js';
import { readIfExists, writeFilesAtomically } from './files.js';
import type { Tree } from './output.js';
import { extractorFor } from './vendor-extractors.js';
import { findManifests, type ManifestFile, serializeManifest } from './vendor-manifest.js';

const USAGE =
  'usage: npm run specs:update [-- --check] [--format text|json|github-actions|markdown] [--fail-on none|breaking|any] [--date YYYY-MM-DD] [--max-size <bytes>] [--root <dir>]';
const FETCH_TIMEOUT_MS = 30_000;

interface Update {
  entry: ManifestFile;
  /** Every file the source extracts to, keyed by absolute path. */
  files: Map<string, string>;
  /** Those of them whose content differs from what is on disk. */
  changed: string[];
}

/** How many redirects a fetch follows. */
const MAX_REDIRECTS = 5;
/** The default bound on a fetched body (--max-size): far above any vendor document. */
const DEFAULT_MAX_BYTES = 32 * 2 ** 20;

export interface FetchLimits {
  maxBytes: number;
  /** Hosts (host[:port]) besides the source's own that a redirect may lead to. */
  redirectHosts: readonly string[];
}

/**
 * Fetches a source: redirects are followed only to the source's own host or one the manifest
 * lists, and the body is read up to `maxBytes` (more is an error, not a truncation).
 */
async function fetchSource(source: string, limits: FetchLimits): Promise<string> {
  const allowed = new Set([new URL(source).host, ...limits.redirectHosts]);
  let url = source;
  let response: Response;
  for (let hop = 0; ; hop++) {
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'manual' });
    } catch (error) {
      const e = error as Error & { cause?: Error };
      throw new PipelineError(`${source}: cannot be fetched`, { reason: e.cause?.message ?? e.message });
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) break;
    await response.body?.cancel();
    const next = new URL(location, url);
    if (!allowed.has(next.host) || !['http:', 'https:'].includes(next.protocol)) {
      throw new PipelineError(`${source}: redirects to another host, ${next.host}`, {
        reason: `expected the source's host ${new URL(source).host}, or a host the manifest lists under redirectHosts`,
      });
    }
    if (hop + 1 > MAX_REDIRECTS) {
      throw new PipelineError(`${source}: more than ${MAX_REDIRECTS} redirects`, {
        reason: 'expected the page or document within a few redirects',
      });
    }
    url = next.href;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PipelineError(`${source}: HTTP ${response.status} ${response.statusText}`.trimEnd(), {
      reason: 'expected 200 and the page or document',
    });
  }
  return readBounded(response, source, limits.maxBytes);
}

async function readBounded(response: Response, source: string, maxBytes: number): Promise<string> {
  const tooLarge = (): PipelineError =>
    new PipelineError(`${source}: the body is larger than ${maxBytes} bytes`, {
      reason: `expected a page or document of at most ${maxBytes} bytes (--max-size)`,
    });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Fetches and extracts every source; throws listing every one that failed. */
async function fetchAll(rootDir: string, entries: ManifestFile[], maxBytes: number): Promise<Update[]> {
  const updates: Update[] = [];
  const failures: string[] = [];
  for (const entry of entries) {
    const where = relative(rootDir, entry.path).split(sep).join('/');
    try {
      const extract = extractorFor(entry.manifest.kind, where);
      const text = await fetchSource(entry.manifest.source, {
        maxBytes,
        redirectHosts: entry.manifest.redirectHosts ?? [],
      });
      let files: Map<string, string>;
      try {
        files = extract(text, entry.manifest, { rootDir, api: entry.api, stem: entry.stem });
      } catch (error) {
        throw new PipelineError(`${where}: the source cannot be extracted`, {
          findings: [(error as Error).message],
        });
      }
      const changed = [...files].filter(([path, content]) => readIfExists(path) !== content).map(([path]) => path);
      updates.push({ entry, files, changed });
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) throw new PipelineError(failures.join('\n'));
  return updates;
}

/**
 * The bundles the specs give once the changed files are in place, built in a copy of the
 * pipeline's inputs: nothing under `rootDir` is touched.
 */
async function bundlesWith(rootDir: string, changed: Map<string, string>): Promise<Tree> {
  const staging = mkdtempSync(join(tmpdir(), 'metaclear-specs-update-'));
  try {
    cpSync(join(rootDir, 'specs'), join(staging, 'specs'), { recursive: true });
    for (const file of [CONFIG_FILE, IGNORE_FILE]) {
      if (existsSync(join(rootDir, file))) cpSync(join(rootDir, file), join(staging, file));
    }
    writeFilesAtomically(
      new Map([...changed].map(([path, content]) => [join(staging, relative(rootDir, path)), content])),
    );
    const { bundleApi, serializeBundle } = await import('./bundle.js');
    const tree: Tree = new Map();
    for (const api of await loadApis(staging)) {
      tree.set(`${api.name}/openapi.json`, serializeBundle(await bundleApi(api)));
    }
    return tree;
  } catch (error) {
    throw new PipelineError('the updated specs do not bundle', { findings: [(error as Error).message] });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const ARGS = {
  options: {
    check: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', default: 'none' },
    date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    root: { type: 'string', default: process.cwd() },
    'max-size': { type: 'string', default: String(DEFAULT_MAX_BYTES) },
  },
} as const;

async function main({ values }: Parsed<typeof ARGS>): Promise<number> {
  const { format, failOn } = reportOptions(values);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date)) {
    throw new PipelineError(`--date ${JSON.stringify(values.date)} is not a day`, { reason: 'expected YYYY-MM-DD' });
  }
  const maxBytes = Number(values['max-size']);
  if (!/^\d+$/.test(values['max-size']) || maxBytes < 1) {
    throw new PipelineError(`--max-size ${JSON.stringify(values['max-size'])} is not a size`, {
      reason: 'expected a whole number of bytes, at least 1',
    });
  }
  const say = (text: string): void => {
    (format === 'text' ? process.stdout : process.stderr).write(text);
  };
  const rootDir = resolve(values.root);
  const show = (path: string): string => relative(rootDir, path).split(sep).join('/');

  const entries = findManifests(rootDir);
  if (entries.length === 0) {
    throw new PipelineError(`no manifest under ${join(rootDir, 'specs')}/<api>/vendor/`, {
      reason: 'expected a <stem>.manifest.yaml beside each vendored file, saying where it comes from',
    });
  }
  const updates = await fetchAll(rootDir, entries, maxBytes);
  const stale = updates.filter((u) => u.changed.length > 0);
  for (const u of updates) {
    say(
      `specs:update: ${u.entry.manifest.source}: ${u.changed.length > 0 ? `changed ${u.changed.map(show).join(', ')}` : 'unchanged'}\n`,
    );
  }
  const sources = updates.map((u) => ({
    manifest: show(u.entry.path),
    source: u.entry.manifest.source,
    changed: u.changed.map(show),
  }));

  const changedFiles = new Map(
    stale.flatMap((u) => u.changed.map((path) => [path, u.files.get(path) as string] as const)),
  );
  const reports = stale.length === 0 ? [] : await changeReports(rootDir, await bundlesWith(rootDir, changedFiles));
  process.stdout.write(formatReport(format, reports, { sources }));

  if (stale.length === 0) {
    say(`specs:update: every vendored file matches its source (${updates.length} source(s)); nothing written\n`);
    return 0;
  }
  if (values.check) {
    process.stderr.write('specs:update --check: vendored files differ from their sources; nothing written\n');
    return 1;
  }
  const failing = failingChanges(reports, failOn);
  if (failing.length > 0) {
    process.stderr.write(
      `specs:update: ${failing.length} change(s) of a kind --fail-on ${failOn} refuses; nothing written\n`,
    );
    return 1;
  }
  for (const u of stale) {
    changedFiles.set(u.entry.path, serializeManifest({ ...u.entry.manifest, retrieved: values.date }, u.entry.stem));
  }
  writeFilesAtomically(changedFiles);
  say(
    `specs:update: wrote ${[...changedFiles.keys()].map(show).join(', ')}\nrun "npm run generate" to regenerate generated/, then review and commit\n`,
  );
  return 0;
}

void runEntry({ name: 'specs:update', usage: USAGE, args: ARGS, failure: 'failed; nothing written' }, main);
