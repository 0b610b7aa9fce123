/**
 * The version a change needs, as npm's caret reads the base version: what --check-version and
 * the acknowledgement of --fail-on ask of package.json.
 */
import type { Impact } from '../../scripts/api-change-types.js';
import { isBumpedFor, nextVersion, parseVersion, requiredLevel, type Version } from '../../scripts/api-version.js';

const v = (text: string): Version => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`not semver: ${text}`);
  return parsed;
};
const needed = (base: string, impact: Impact): string => nextVersion(v(base), requiredLevel(v(base), impact));

it.each([
  ['1.4.2', 'major', '2.0.0'],
  ['1.4.2', 'minor', '1.5.0'],
  ['1.4.2', 'patch', '1.4.3'],
  // ^0.1.0 accepts 0.1.x only: breaking needs 0.2.0, anything else a patch.
  ['0.1.0', 'major', '0.2.0'],
  ['0.1.0', 'minor', '0.1.1'],
  ['0.1.0', 'patch', '0.1.1'],
  // ^0.0.3 accepts 0.0.3 only: any change needs a patch bump.
  ['0.0.3', 'major', '0.0.4'],
  ['0.0.3', 'minor', '0.0.4'],
] as const)('from %s, a %s change needs %s', (base, impact, version) => {
  expect(needed(base, impact)).toBe(version);
});

it('accepts any version at or above the one needed, a pre-release of it included, and nothing below', () => {
  expect(isBumpedFor(v('0.1.0'), v('0.2.0'), 'major')).toBe(true);
  expect(isBumpedFor(v('0.1.0'), v('1.0.0'), 'major')).toBe(true);
  expect(isBumpedFor(v('0.1.0'), v('0.2.0-rc.1'), 'major')).toBe(true);
  expect(isBumpedFor(v('0.1.0'), v('0.1.9'), 'major')).toBe(false);
  expect(isBumpedFor(v('1.4.2'), v('1.5.0'), 'major')).toBe(false);
  expect(isBumpedFor(v('1.4.2'), v('1.4.2'), 'patch')).toBe(false);
  expect(isBumpedFor(v('1.4.2'), v('1.3.9'), 'patch')).toBe(false);
});

it('reads semver only', () => {
  expect(parseVersion('1.2.3+build.5')).toMatchObject({ major: 1, minor: 2, patch: 3 });
  for (const text of ['1.2', 'v1.2.3', '01.2.3', '', 3]) expect(parseVersion(text)).toBeUndefined();
});
