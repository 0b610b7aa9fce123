/** The shapes of the API change report, shared by the comparison, its rules and its formats. */

/** In the order a report lists them: what breaks callers first. */
export const CHANGE_TYPES = ['breaking', 'deprecated', 'unclassified', 'non-breaking', 'annotation'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** The semver impact of a change on the package (its generated types and the calls they describe). */
export const IMPACTS = ['major', 'minor', 'patch'] as const;
export type Impact = (typeof IMPACTS)[number];

/**
 * The impact of each type of change. breaking: a call that compiled and worked may fail;
 * unclassified: no rule knows the change, so it is taken to break until a person says
 * otherwise; deprecated: semver.org makes a deprecation a minor release; non-breaking:
 * something new or looser; annotation: descriptions, summaries, examples only.
 */
export const IMPACT_OF: Record<ChangeType, Impact> = {
  breaking: 'major',
  unclassified: 'major',
  deprecated: 'minor',
  'non-breaking': 'minor',
  annotation: 'patch',
};

export interface ApiChange {
  type: ChangeType;
  /** The semver impact on the package: IMPACT_OF[type]. */
  impact: Impact;
  action: 'add' | 'remove' | 'replace' | 'rename';
  /** JSON pointer of the changed node, in the new bundle (added) or the committed one (otherwise). */
  pointer: string;
  /** The operation it belongs to, e.g. "POST /api/{projectId}/jobs", when it belongs to one. */
  operation?: string;
  /** What changed, e.g. "[Removed] query parameter `fields`" (api-smart-diff's words, or the project's). */
  description: string;
  /** The project's rule, when it decided the type instead of api-smart-diff: why, in a few words. */
  rule?: string;
  /** The values before and after, when they are plain values or lists of them (enums, types). */
  before?: unknown;
  after?: unknown;
}

export interface ApiReport {
  api: string;
  /**
   * changed: both bundles exist; added / removed: only the new / only the committed one. A
   * removed API lists each of its operations as a breaking change.
   */
  status: 'changed' | 'added' | 'removed';
  changes: ApiChange[];
}

/** The highest impact among `changes`, or undefined when there are none. */
export function highestImpact(changes: readonly { impact: Impact }[]): Impact | undefined {
  for (const impact of IMPACTS) if (changes.some((c) => c.impact === impact)) return impact;
  return undefined;
}
