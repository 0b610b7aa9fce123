/**
 * The CI gate's decision on a report: which changes it refuses, and whether the package's
 * version follows the API.
 *
 * A change of a kind `--fail-on` names is refused unless the package's version says so: with
 * `--base`, a change is accepted when package.json's version is bumped since the base at least
 * as far as the change needs (api-version.ts), so the bump is the acknowledgement a pull
 * request carries ("this release breaks callers"). `--check-version` asks the same of every
 * change in the report, whatever its kind.
 */
import { join } from 'node:path';
import { type ApiChange, type ApiReport, highestImpact, type Impact } from './api-change-types.js';
import type { GitBundles } from './api-changes.js';
import { type FailOn, failingChanges } from './api-changes-format.js';
import { explainLevel, isBumpedFor, nextVersion, parseVersion, requiredLevel, type Version } from './api-version.js';
import { PipelineError } from './errors.js';
import { readIfExists } from './files.js';

export interface Versions {
  /** package.json's version at the base, when it has one that is semver. */
  base: Version | undefined;
  /** package.json's version now. */
  current: Version | undefined;
  /** Why a version could not be read, when one could not. */
  unreadable?: string;
}

function versionIn(text: string | undefined, where: string): { version?: Version; problem?: string } {
  if (text === undefined) return { problem: `there is no package.json ${where}` };
  let manifest: { version?: unknown };
  try {
    manifest = JSON.parse(text) as { version?: unknown };
  } catch (error) {
    return { problem: `package.json ${where} is not JSON (${(error as Error).message})` };
  }
  const version = parseVersion(manifest.version);
  if (!version) return { problem: `package.json ${where} has version ${JSON.stringify(manifest.version)}, not semver` };
  return { version };
}

/** package.json's version at the base and in `rootDir`. */
export function readVersions(rootDir: string, base: GitBundles, ref: string): Versions {
  const before = versionIn(base.packageJson(), `at ${ref}`);
  const now = versionIn(readIfExists(join(rootDir, 'package.json')), 'in the working tree');
  const unreadable = before.problem ?? now.problem;
  return { base: before.version, current: now.version, ...(unreadable ? { unreadable } : {}) };
}

/** True when the versions say the change is released as it should be. */
function isAcknowledged(change: ApiChange, versions: Versions | undefined): boolean {
  if (!versions?.base || !versions.current) return false;
  return isBumpedFor(versions.base, versions.current, change.impact);
}

export interface Decision {
  /** Changes of a kind --fail-on names that the version does not acknowledge: the gate refuses them. */
  refused: ApiChange[];
  /** Changes of such a kind that the version bump acknowledges. */
  acknowledged: ApiChange[];
  /** The highest impact of the report's changes (undefined: no change). */
  impact: Impact | undefined;
  /** The lowest version that would clear the gate, when the base's version is known and a bump is needed. */
  neededVersion?: string;
  /** Why: "a breaking change needs a minor bump, as npm reads ^0.1.0". */
  neededWhy?: string;
  /** --check-version: the version is not bumped as far as the changes need. */
  versionBehind: boolean;
}

export function decide(reports: readonly ApiReport[], failOn: FailOn, versions: Versions | undefined): Decision {
  const named = failingChanges(reports, failOn);
  const refused = named.filter((c) => !isAcknowledged(c, versions));
  const acknowledged = named.filter((c) => isAcknowledged(c, versions));
  const all = reports.flatMap((r) => r.changes);
  const impact = highestImpact(all);
  const decision: Decision = { refused, acknowledged, impact, versionBehind: false };
  if (impact && versions?.base) {
    decision.neededVersion = nextVersion(versions.base, requiredLevel(versions.base, impact));
    decision.neededWhy = explainLevel(versions.base, impact);
    decision.versionBehind = !versions.current || !isBumpedFor(versions.base, versions.current, impact);
  }
  return decision;
}

/** The refusal of a flag that cannot fire where it was given (exit 2). */
export function checkGateFlags(values: {
  check: boolean;
  base?: string;
  'fail-on': string;
  'check-version': boolean;
}): void {
  if (values.base !== undefined) return;
  if (values['check-version']) {
    throw new PipelineError('--check-version needs --base <git-ref>', {
      reason: "expected the ref whose package.json the version is compared with, e.g. '--base origin/main'",
      exitCode: 2,
    });
  }
  if (values.check && values['fail-on'] !== 'none') {
    throw new PipelineError(`--fail-on ${values['fail-on']} cannot fail with --check alone`, {
      reason:
        "--check compares with the committed generated/, which a pull request updates along with its spec, so no change is ever found there; add --base <git-ref> (e.g. '--base origin/main') to compare with the bundles of that ref",
      exitCode: 2,
    });
  }
}
