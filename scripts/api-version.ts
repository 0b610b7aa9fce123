/**
 * The package's version against the API changes since a base: how far it must be bumped, as
 * npm's caret ranges read a version (what `npm install metaclear` writes into a consumer's
 * package.json). From 1.0.0 on, a breaking change needs a major bump and anything new a minor
 * one; below 1.0.0, `^0.1.0` accepts 0.1.x only, so a breaking change needs a minor bump and
 * anything else a patch; below 0.1.0, `^0.0.3` accepts 0.0.3 only, so any change needs a patch
 * bump. A documentation-only change (impact patch) needs a patch bump everywhere: the package
 * ships the bundles it changed.
 */
import type { Impact } from './api-change-types.js';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** As written, e.g. "0.2.0-rc.1". */
  text: string;
}

/** semver.org's grammar: MAJOR.MINOR.PATCH, an optional pre-release and build metadata. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function parseVersion(text: unknown): Version | undefined {
  if (typeof text !== 'string') return undefined;
  const match = SEMVER.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text };
}

/** The part of `base` a change of `impact` must bump, as the caret reads `base`. */
export function requiredLevel(base: Version, impact: Impact): Impact {
  if (base.major > 0) return impact;
  if (base.minor > 0) return impact === 'major' ? 'minor' : 'patch';
  return 'patch';
}

/** The lowest version that bumps `base` at `level`, e.g. 0.1.4 at minor: 0.2.0. */
export function nextVersion(base: Version, level: Impact): string {
  if (level === 'major') return `${base.major + 1}.0.0`;
  if (level === 'minor') return `${base.major}.${base.minor + 1}.0`;
  return `${base.major}.${base.minor}.${base.patch + 1}`;
}

/**
 * True when `current` is bumped from `base` at least as far as a change of `impact` needs.
 * Only the version's core counts: 0.2.0-rc.1 is bumped from 0.1.0 as far as 0.2.0 is.
 */
export function isBumpedFor(base: Version, current: Version, impact: Impact): boolean {
  const needed = parseVersion(nextVersion(base, requiredLevel(base, impact))) as Version;
  const a = [current.major, current.minor, current.patch];
  const b = [needed.major, needed.minor, needed.patch];
  for (let i = 0; i < 3; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) > (b[i] as number);
  return true;
}

/** Why a bump is needed, in words: "a breaking change needs a minor bump below 1.0.0, as ^0.1.0 reads it". */
export function explainLevel(base: Version, impact: Impact): string {
  const level = requiredLevel(base, impact);
  const what = { major: 'a breaking change', minor: 'an addition or a deprecation', patch: 'a documentation change' }[
    impact
  ];
  const caret = level === impact ? '' : `, as npm reads ^${base.text}`;
  return `${what} needs a ${level} bump${caret}`;
}
