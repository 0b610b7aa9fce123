/**
 * The manifest of a vendored file: where it came from. It lies beside the vendored files as
 * specs/<api>/vendor/<stem>.manifest.yaml and says
 *
 *   source     the URL the vendor publishes it at (http or https)
 *   kind       what that URL serves: a docs page (Markdown with the OpenAPI YAML in a fenced
 *              block) or an OpenAPI document (from which operations are cut out)
 *   selection  what was taken from it: the operations, by operationId
 *   retrieved  the day (UTC) the vendored files were last taken from the source (YYYY-MM-DD), or
 *              the month (YYYY-MM) when the day is not known
 *   redirectHosts  optional: hosts (host[:port]) other than the source's that specs:update may
 *              follow a redirect to
 *   note       optional: what a maintainer must know that the fields cannot say (an excerpt, an
 *              inferred URL); kept when specs:update rewrites the manifest
 *
 * `npm run specs:update` reads every manifest, fetches each source again and re-extracts.
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { dump, load } from 'js-yaml';
import { PipelineError } from './errors.js';
import { readIfExists } from './files.js';

export const SOURCE_KINDS = ['docs-page', 'openapi-document'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Manifest {
  source: string;
  kind: SourceKind;
  selection: { operationIds: string[] };
  retrieved: string;
  redirectHosts?: string[];
  note?: string;
}

/** A manifest with where it lies: the API folder, the vendored files' stem, its own path. */
export interface ManifestFile {
  api: string;
  stem: string;
  path: string;
  manifest: Manifest;
}

export const MANIFEST_SUFFIX = '.manifest.yaml';
const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

/** Checks a parsed manifest; `where` names it in errors. */
export function parseManifest(text: string, where: string): Manifest {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (error) {
    throw new PipelineError(`${where}: does not parse`, { reason: (error as Error).message });
  }
  const m = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  const fail = (field: string, expected: string, found: unknown): never => {
    throw new PipelineError(`${where}: ${field} is ${JSON.stringify(found) ?? 'missing'}`, {
      reason: `expected ${expected}`,
    });
  };
  let url: URL | undefined;
  try {
    url = typeof m.source === 'string' ? new URL(m.source) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) fail('source', 'an http or https URL', m.source);
  if (!SOURCE_KINDS.includes(m.kind as SourceKind)) fail('kind', `one of ${SOURCE_KINDS.join(', ')}`, m.kind);
  const ids = (m.selection as { operationIds?: unknown } | undefined)?.operationIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
    fail('selection.operationIds', 'a list of one or more operationIds', ids);
  }
  // js-yaml reads an unquoted date as a Date: accept both, keep the text.
  const retrieved = m.retrieved instanceof Date ? m.retrieved.toISOString().slice(0, 10) : m.retrieved;
  if (typeof retrieved !== 'string' || !DATE.test(retrieved)) {
    fail('retrieved', 'a date, YYYY-MM-DD (or YYYY-MM when the day is not known)', m.retrieved);
  }
  const hosts = m.redirectHosts;
  if (hosts !== undefined && (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string' && h !== ''))) {
    fail('redirectHosts', 'a list of hosts (host or host:port)', hosts);
  }
  if (m.note !== undefined && (typeof m.note !== 'string' || m.note.trim() === '')) fail('note', 'a text', m.note);
  return {
    source: m.source as string,
    kind: m.kind as SourceKind,
    selection: { operationIds: [...(ids as string[])] },
    retrieved: retrieved as string,
    ...(Array.isArray(hosts) ? { redirectHosts: [...(hosts as string[])] } : {}),
    ...(typeof m.note === 'string' ? { note: m.note } : {}),
  };
}

export function serializeManifest(manifest: Manifest, vendoredStem: string): string {
  const header = [
    `# Where the vendored files ${vendoredStem}.* come from; written by the specs commands.`,
    '# `npm run specs:update` fetches the source again, re-extracts the selection and rewrites them.',
  ];
  const body = dump(
    {
      source: manifest.source,
      kind: manifest.kind,
      selection: { operationIds: manifest.selection.operationIds },
      retrieved: manifest.retrieved,
      ...(manifest.redirectHosts !== undefined ? { redirectHosts: manifest.redirectHosts } : {}),
      ...(manifest.note !== undefined ? { note: manifest.note } : {}),
    },
    { lineWidth: 100 },
  );
  return `${header.join('\n')}\n${body}`;
}

/** Every manifest under specs/<api>/vendor/, sorted by path. */
export function findManifests(rootDir: string): ManifestFile[] {
  const specs = join(rootDir, 'specs');
  const found: ManifestFile[] = [];
  let apis: string[];
  try {
    apis = readdirSync(specs).sort();
  } catch {
    return [];
  }
  for (const api of apis) {
    let files: string[];
    try {
      files = readdirSync(join(specs, api, 'vendor')).sort();
    } catch {
      continue;
    }
    for (const file of files.filter((f) => f.endsWith(MANIFEST_SUFFIX))) {
      const path = join(specs, api, 'vendor', file);
      const where = relative(rootDir, path).split(sep).join('/');
      found.push({
        api,
        stem: file.slice(0, -MANIFEST_SUFFIX.length),
        path,
        manifest: parseManifest(readIfExists(path) ?? '', where),
      });
    }
  }
  return found;
}
