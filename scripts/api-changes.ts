/**
 * The API change report: what changed for callers between the committed bundle of an API
 * (generated/<api>/openapi.json) and the new one, each change classified.
 *
 * The comparison is api-smart-diff's (its OpenAPI 3 rules resolve every $ref, so a change to a
 * shared schema is reported where callers meet it: in each operation's parameters, request
 * body or response); its classification, corrected by the project's rules where they differ
 * (api-change-rules.ts: a response property removed, a serialization changed, ...), decides.
 * Changes inside `components` are left out, since they reach callers only through `paths`,
 * where they are reported, except a component's name (the generated types export it) and the
 * security schemes: a scheme is met through `security` by name, so its own changes are
 * reported, with those of the root's and each operation's `security`. Every change carries its
 * semver impact (major/minor/patch) on the package.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isReportedComponent, isSchemePath, projectVerdict, securityIndex } from './api-change-rules.js';
import { type ApiChange, type ApiReport, CHANGE_TYPES, type ChangeType, IMPACT_OF } from './api-change-types.js';
import { GENERATED_DIR } from './apis.js';
import { PipelineError } from './errors.js';
import { readIfExists } from './files.js';
import type { Tree } from './output.js';

export type { ApiChange, ApiReport, ChangeType, Impact } from './api-change-types.js';
export { CHANGE_TYPES, highestImpact, IMPACT_OF, IMPACTS } from './api-change-types.js';

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

function describeSecurity(path: readonly (string | number)[], action: ApiChange['action']): string | undefined {
  const verb = { add: 'Added', remove: 'Removed', replace: 'Replaced', rename: 'Renamed' }[action];
  if (isSchemePath(path)) {
    const scheme = `security scheme \`${String(path[2])}\``;
    return path.length === 3 ? `[${verb}] ${scheme}` : `[${verb}] \`${path.slice(3).join('.')}\` of ${scheme}`;
  }
  const at = securityIndex(path);
  if (at < 0) return undefined;
  const depth = path.length - at - 1;
  if (depth === 0) return `[${verb}] security requirements`;
  if (depth === 1) return `[${verb}] security requirement`;
  return `[${verb}] scheme \`${String(path[at + 2])}\` in security requirement ${String(path[at + 1])}`;
}

function describeComponent(path: readonly (string | number)[], action: ApiChange['action']): string | undefined {
  if (path[0] !== 'components' || path.length !== 3) return undefined;
  const verb = { add: 'Added', remove: 'Removed', replace: 'Replaced', rename: 'Renamed' }[action];
  return `[${verb}] component \`${String(path[1])}.${String(path[2])}\``;
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
    if (!isReportedComponent(diff.path)) continue;
    const verdict = projectVerdict(diff.path, diff.action, 'after' in diff ? diff.after : undefined);
    const type = verdict?.type ?? (diff.type as ChangeType);
    const operation = operationOf(diff.path);
    const change: ApiChange = {
      type,
      impact: IMPACT_OF[type],
      action: diff.action,
      pointer: pointerOf(diff.path),
      ...(operation ? { operation } : {}),
      description:
        describeSecurity(diff.path, diff.action) ??
        describeComponent(diff.path, diff.action) ??
        (diff.description || `[${diff.action}] ${pointerOf(diff.path)}`),
      ...(verdict && verdict.type !== diff.type ? { rule: verdict.rule } : {}),
    };
    if ('before' in diff && isPlain(diff.before)) change.before = diff.before;
    if ('after' in diff && isPlain(diff.after)) change.after = diff.after;
    changes.push(change);
  }
  if (changes.length === 0 && !isDeepStrictEqual(before, after)) {
    // What api-smart-diff does not compare (an extension's value): the shipped bundle changed,
    // nothing a caller meets did.
    changes.push({
      type: 'annotation',
      impact: IMPACT_OF.annotation,
      action: 'replace',
      pointer: '',
      description: '[Replaced] content no rule compares (an extension, `x-...`)',
    });
  }
  return changes.sort(byImpact);
}

const BUNDLE = /^([^/]+)\/openapi\.json$/;

/** The bundles a report compares the new ones with: generated/ on disk, or at a git commit. */
export interface CommittedBundles {
  /** The names of the APIs with a bundle. */
  apis(): string[];
  /** The text of generated/<api>/openapi.json, or undefined when there is none. */
  read(api: string): string | undefined;
}

/** The bundles at a git commit, and the package's manifest there. */
export interface GitBundles extends CommittedBundles {
  /** The commit `--base` named. */
  commit: string;
  /** The text of package.json at that commit, or undefined when it has none. */
  packageJson(): string | undefined;
}

/** The bundles in `rootDir`/generated/ (read before anything is written there). */
export function workingTreeBundles(rootDir: string): CommittedBundles {
  return {
    apis: () => listCommittedApis(rootDir),
    read: (api) => readIfExists(join(rootDir, GENERATED_DIR, api, 'openapi.json')),
  };
}

/** Runs git in `rootDir`; throws with git's own first line of error when it fails. */
function git(rootDir: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: rootDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 2 ** 20,
    });
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    const said = (e.stderr ?? '').trim().split('\n')[0] || e.message || String(error);
    throw new Error(`git ${args[0]}: ${said}`);
  }
}

/** A base that cannot be read as asked: the gate must not pass on it (exit 2). */
function baseError(ref: string, what: string, reason: string): PipelineError {
  return new PipelineError(`--base ${JSON.stringify(ref)}: ${what}`, { reason, exitCode: 2 });
}

const FETCH_HINT =
  'expected git to hold the base commit with its trees and files (a shallow or partial clone may lack them: in CI, fetch the base branch with its objects, e.g. `git fetch --no-filter origin main`)';

/**
 * The bundles committed at `ref` in the git repository holding `rootDir` (`git show
 * <ref>:generated/<api>/openapi.json`). An API with no bundle in the base's tree is reported
 * as added; anything else git or JSON cannot read is an error naming the ref and the path
 * (exit 2), never a silent "added": a ref that is not a commit, a tree that cannot be listed,
 * a file whose content cannot be read, a file that is not JSON.
 */
export function gitBundles(rootDir: string, ref: string): GitBundles {
  let commit: string;
  try {
    commit = git(rootDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  } catch {
    commit = '';
  }
  if (!commit) {
    throw new PipelineError(`--base ${JSON.stringify(ref)} is not a commit in the repository at ${rootDir}`, {
      reason: 'expected a branch, tag or commit that `git rev-parse` knows there (in CI, fetch the base branch first)',
      exitCode: 2,
    });
  }
  let listing: string;
  try {
    listing = git(rootDir, ['ls-tree', '-r', '-z', '--name-only', commit, '--', `${GENERATED_DIR}/`]);
  } catch (error) {
    throw baseError(
      ref,
      `cannot list ${GENERATED_DIR}/ at ${commit.slice(0, 12)} (${(error as Error).message})`,
      FETCH_HINT,
    );
  }
  const apis = listing
    .split('\0')
    .map((path) => BASE_BUNDLE.exec(path)?.[1])
    .filter((name): name is string => name !== undefined);
  return {
    commit,
    packageJson: () => {
      const listed = git(rootDir, ['ls-tree', '--name-only', commit, '--', 'package.json']).trim();
      if (listed === '') return undefined;
      try {
        return git(rootDir, ['show', `${commit}:./package.json`]);
      } catch (error) {
        throw baseError(
          ref,
          `cannot read package.json at ${commit.slice(0, 12)} (${(error as Error).message})`,
          FETCH_HINT,
        );
      }
    },
    apis: () => apis,
    read: (api) => {
      if (!apis.includes(api)) return undefined;
      const path = `${GENERATED_DIR}/${api}/openapi.json`;
      let text: string;
      try {
        text = git(rootDir, ['show', `${commit}:./${path}`]);
      } catch (error) {
        throw baseError(ref, `cannot read ${path} at ${commit.slice(0, 12)} (${(error as Error).message})`, FETCH_HINT);
      }
      try {
        JSON.parse(text);
      } catch (error) {
        throw baseError(
          ref,
          `${path} is not JSON (${(error as Error).message})`,
          'expected the bundle the pipeline wrote',
        );
      }
      return text;
    },
  };
}

const BASE_BUNDLE = new RegExp(`^${GENERATED_DIR}/([^/]+)/openapi\\.json$`);

/** Every operation of a bundle that is gone, each a breaking change; the API itself when it has none. */
function removedApi(api: string, before: string): ApiChange[] {
  let paths: Record<string, Record<string, unknown>> = {};
  try {
    paths = ((JSON.parse(before) as { paths?: typeof paths }).paths ?? {}) as typeof paths;
  } catch {
    // Not JSON: the API is still reported as removed, as a whole.
  }
  const changes: ApiChange[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of Object.keys(item ?? {})) {
      if (!HTTP_METHODS.has(method)) continue;
      changes.push({
        type: 'breaking',
        impact: 'major',
        action: 'remove',
        pointer: pointerOf(['paths', path, method]),
        description: `[Removed] operation ${method.toUpperCase()} ${path}`,
      });
    }
  }
  if (changes.length === 0) {
    changes.push({
      type: 'breaking',
      impact: 'major',
      action: 'remove',
      pointer: '',
      description: `[Removed] API ${api}`,
    });
  }
  return changes.sort(byImpact);
}

/**
 * A report for every API whose bundle in `tree` differs from the committed one (by default
 * the one in `rootDir`/generated/, read before anything is written), in API order.
 */
export async function changeReports(
  rootDir: string,
  tree: Tree,
  committed: CommittedBundles = workingTreeBundles(rootDir),
): Promise<ApiReport[]> {
  const apis = new Set<string>();
  for (const path of tree.keys()) {
    const name = BUNDLE.exec(path)?.[1];
    if (name) apis.add(name);
  }
  const reports: ApiReport[] = [];
  for (const api of [...new Set([...apis, ...committed.apis()])].sort()) {
    const before = committed.read(api);
    const fresh = tree.get(`${api}/openapi.json`);
    if (before === fresh) continue;
    if (fresh === undefined) {
      reports.push({ api, status: 'removed', changes: removedApi(api, before as string) });
    } else if (before === undefined) {
      reports.push({ api, status: 'added', changes: [] });
    } else {
      let parsed: object;
      try {
        parsed = JSON.parse(before) as object;
      } catch {
        // A committed file that is not JSON cannot be compared; the drift list names it.
        reports.push({ api, status: 'added', changes: [] });
        continue;
      }
      reports.push({ api, status: 'changed', changes: await compareBundles(parsed, JSON.parse(fresh) as object) });
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
