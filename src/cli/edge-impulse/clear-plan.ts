/**
 * The plan of `edge-impulse clear-metadata`, made from its flags once, at the command's edge: what
 * to clear, the guard (--max-affected), the backup, the jobs the server may start, and the output.
 * The clear (clear.ts) takes the plan, never the flags.
 */
import type { SampleFilter } from '../../edge-impulse/filters.js';
import { readableCategory } from '../../edge-impulse/preview.js';
import { type RawDataCategory, ValidationError } from '../../index.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { ProgressFlags } from '../terminal/progress.js';
import { type FilterFlags, filterFrom } from './filters.js';
import type { FollowOptions, SessionFlags } from './session.js';

/** The flags of `edge-impulse clear-metadata`, as commander parses them. */
export type ClearFlags = FilterFlags &
  SessionFlags &
  ProgressFlags & {
    project: number;
    category: RawDataCategory;
    key: string;
    backup?: string | false;
    maxAffected?: number;
  };

/** What to clear: one metadata key on the samples of a category that match the filter. */
export interface ClearTarget {
  projectId: number;
  category: RawDataCategory;
  metadataKey: string;
  /** Undefined: every sample of the category. */
  filter: SampleFilter | undefined;
}

export interface ClearPlan {
  target: ClearTarget;
  /** The guard: the run is refused when more samples than this hold the key (undefined: no limit). */
  maxAffected: number | undefined;
  /**
   * The backup: its path as given (undefined: a default name in the working directory), or no
   * backup at all (--no-backup: one filter call).
   */
  backup: { path: string | undefined } | undefined;
  /** Whether the run lists the selected samples first: for the backup or for the guard. */
  lists: boolean;
  /** The jobs the server may start: followed to their end (--wait), or named with how to follow them. */
  jobs: FollowOptions & { wait: boolean };
  /** --json: one JSON document on stdout; otherwise lines of text. */
  json: boolean;
}

/** The category as countSamples and listSamples take it, or a usage error that says what to do. */
function listable(category: RawDataCategory): void {
  try {
    readableCategory(category);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new UsageError(
      `--category ${category}: its samples cannot be listed (countSamples and listSamples do not take it), so they cannot be previewed or backed up; add --no-backup to clear them without a backup (and without --max-affected)`,
    );
  }
}

/**
 * The plan the flags say, with the run's target in the facts every outcome reports; a usage error
 * when the samples would have to be listed and cannot be.
 */
export function planClear(ctx: CliContext, flags: ClearFlags): ClearPlan {
  Object.assign(ctx.facts, { projectId: flags.project, category: flags.category, metadataKey: flags.key });
  const backup =
    flags.backup === false ? undefined : { path: typeof flags.backup === 'string' ? flags.backup : undefined };
  const lists = backup !== undefined || flags.maxAffected !== undefined;
  if (lists) listable(flags.category);
  return {
    target: {
      projectId: flags.project,
      category: flags.category,
      metadataKey: flags.key,
      filter: filterFrom(flags),
    },
    maxAffected: flags.maxAffected,
    backup,
    lists,
    jobs: {
      wait: flags.wait === true,
      ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
      ...(flags.progress !== undefined ? { progress: flags.progress } : {}),
    },
    json: flags.json === true,
  };
}
