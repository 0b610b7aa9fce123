/**
 * The API change report: what changed for callers between the committed bundle of an API
 * (generated/<api>/openapi.json) and the new one, each change classified.
 *
 * The comparison and its classification are api-smart-diff's (its OpenAPI 3 rules resolve
 * every $ref, so a change to a shared schema is reported where callers meet it: in each
 * operation's parameters, request body or response). Changes under `components` alone are
 * left out: they reach callers only through `paths`, where they are reported.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR } from './apis.js';
import { readIfExists } from './files.js';
import type { Tree } from './output.js';

/** In the order a report lists them: what breaks callers first. */
export const CHANGE_TYPES = ['breaking', 'deprecated', 'unclassified', 'non-breaking', 'annotation'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface ApiChange {
  type: ChangeType;
  action: 'add' | 'remove' | 'replace' | 'rename';
  /** JSON pointer of the changed node, in the new bundle (added) or the committed one (otherwise). */
  pointer: string;
  /** The operation it belongs to, e.g. "POST /api/{projectId}/jobs", when it belongs to one. */
  operation?: string;
  /** api-smart-diff's description, e.g. "[Removed] query parameter `fields`". */
  description: string;
  /** The values before and after, when they are plain values or lists of them (enums, types). */
  before?: unknown;
  after?: unknown;
}

export interface ApiReport {
  api: string;
  /** changed: both bundles exist; added / removed: only the new / only the committed one. */
  status: 'changed' | 'added' | 'removed';
  changes: ApiChange[];
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function pointerOf(path: readonly (string | number)[]): string {
  return `/${path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function operationOf(path: readonly (string | number)[]): string | undefined {
  if (path[0] !== 'paths' || path.length < 2) return undefined;
  const method = path[2];
  if (typeof method === 'string' && HTTP_METHODS.has(method)) return `${method.toUpperCase()} ${path[1]}`;
  return String(path[1]);
}

function isPlain(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  return Array.isArray(value) && value.length <= 50 && value.every((v) => v === null || typeof v !== 'object');
}

/**
 * Where the project's reading differs from api-smart-diff's rules. A response field whose type
 * changes (integer to string, say) breaks every caller that reads it; the library's response
 * rules call any type change there non-breaking.
 */
function classify(path: readonly (string | number)[], action: ApiChange['action'], type: ChangeType): ChangeType {
  const inResponse = path[0] === 'paths' && path[3] === 'responses';
  if (inResponse && action === 'replace' && path.at(-1) === 'type' && type === 'non-breaking') return 'breaking';
  return type;
}

function byImpact(a: ApiChange, b: ApiChange): number {
  const rank = CHANGE_TYPES.indexOf(a.type) - CHANGE_TYPES.indexOf(b.type);
  if (rank !== 0) return rank;
  return a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0;
}

/** The changes from one bundle to another, breaking ones first. */
export async function compareBundles(before: object, after: object): Promise<ApiChange[]> {
  const { apiCompare } = await import('api-smart-diff');
  const { diffs } = apiCompare(before, after);
  const changes: ApiChange[] = [];
  for (const diff of diffs) {
    if (diff.path[0] === 'components') continue;
    const type = classify(diff.path, diff.action, diff.type as ChangeType);
    const operation = operationOf(diff.path);
    const change: ApiChange = {
      type,
      action: diff.action,
      pointer: pointerOf(diff.path),
      ...(operation ? { operation } : {}),
      description: diff.description || `[${diff.action}] ${pointerOf(diff.path)}`,
    };
    if ('before' in diff && isPlain(diff.before)) change.before = diff.before;
    if ('after' in diff && isPlain(diff.after)) change.after = diff.after;
    changes.push(change);
  }
  return changes.sort(byImpact);
}

const BUNDLE = /^([^/]+)\/openapi\.json$/;

/**
 * A report for every API whose bundle in `tree` differs from the one committed under
 * `rootDir`/generated/ (read before anything is written), in API order.
 */
export async function changeReports(rootDir: string, tree: Tree): Promise<ApiReport[]> {
  const apis = new Set<string>();
  for (const path of tree.keys()) {
    const name = BUNDLE.exec(path)?.[1];
    if (name) apis.add(name);
  }
  const reports: ApiReport[] = [];
  const committedApis = listCommittedApis(rootDir);
  for (const api of [...new Set([...apis, ...committedApis])].sort()) {
    const committed = readIfExists(join(rootDir, GENERATED_DIR, api, 'openapi.json'));
    const fresh = tree.get(`${api}/openapi.json`);
    if (committed === fresh) continue;
    if (fresh === undefined) {
      reports.push({ api, status: 'removed', changes: [] });
    } else if (committed === undefined) {
      reports.push({ api, status: 'added', changes: [] });
    } else {
      let before: object;
      try {
        before = JSON.parse(committed) as object;
      } catch {
        // A committed file that is not JSON cannot be compared; the drift list names it.
        reports.push({ api, status: 'added', changes: [] });
        continue;
      }
      reports.push({ api, status: 'changed', changes: await compareBundles(before, JSON.parse(fresh) as object) });
    }
  }
  return reports;
}

/** The APIs with a committed bundle: the folders of generated/ that hold an openapi.json. */
function listCommittedApis(rootDir: string): string[] {
  try {
    return readdirSync(join(rootDir, GENERATED_DIR), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

export function countByType(changes: readonly ApiChange[]): Record<ChangeType, number> {
  const counts = Object.fromEntries(CHANGE_TYPES.map((t) => [t, 0])) as Record<ChangeType, number>;
  for (const change of changes) counts[change.type]++;
  return counts;
}
