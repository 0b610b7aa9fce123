/**
 * The plan of `oracle delete-metadata`, made from its flags once, at the command's edge: what to
 * clear, the guard (--max-affected), the backup, the bulk run's runner and records, and the
 * output. The parts below (bulk.ts, preview.ts, ../undo/oracle-backup.ts) take the plan, never the
 * flags. Making the plan checks nothing: each check stays where it was, so a run with several bad
 * flags reports the same one first.
 */
import type { ProgressFlags, ProgressMode } from '../terminal/progress.js';
import type { OracleSessionFlags } from './session.js';

/** The flags of `oracle delete-metadata`, as commander parses them. */
export type DeleteFlags = OracleSessionFlags &
  ProgressFlags & {
    file?: string;
    filesFrom?: string;
    collection: string;
    field: string[];
    concurrency?: number;
    failedOut?: string;
    overwrite?: true;
    journal?: string;
    allowEmpty?: true;
    maxRate?: number;
    maxAuthFailures?: number;
    fromLine?: number;
    /** Where the values are backed up before they are cleared; false: --no-backup. */
    backup?: string | false;
    maxAffected?: number;
  };

/** What to clear: these fields of one collection, on the files of the API root. */
export interface DeleteTarget {
  baseUrl: string;
  collection: string;
  fields: string[];
}

/** The runner of a bulk run (the facade's streamMany) and when it stops. */
export interface RunnerPlan {
  /** --concurrency; undefined: the facade's default. */
  concurrency: number | undefined;
  /** --max-rate, requests per second. */
  maxRate: number | undefined;
  /** --max-auth-failures; undefined: the default. */
  maxAuthFailures: number | undefined;
}

/** The input and records of a bulk run, as given (the paths are checked before the first request). */
export interface RecordsPlan {
  failedOut: string | undefined;
  overwrite: boolean;
  journal: string | undefined;
  fromLine: number | undefined;
  allowEmpty: boolean;
}

export interface DeletePlan {
  target: DeleteTarget;
  /** The guard: the run is refused when more files than this hold a value (undefined: no limit). */
  maxAffected: number | undefined;
  /**
   * The backup: its path as given (undefined: the default name), or no backup at all
   * (--no-backup: one DELETE per file, nothing read).
   */
  backup: { path: string | undefined } | undefined;
  runner: RunnerPlan;
  records: RecordsPlan;
  /** --json: JSON on stdout; otherwise lines of text. */
  json: boolean;
  /** --dry-run: the reads are sent, the DELETEs printed and not sent. */
  dryRun: boolean;
  /** --verbose: the changes of concurrency and the --max-affected count on stderr. */
  verbose: boolean;
  progress: ProgressMode | undefined;
}

export function planDelete(flags: DeleteFlags): DeletePlan {
  return {
    target: { baseUrl: flags.baseUrl, collection: flags.collection, fields: flags.field },
    maxAffected: flags.maxAffected,
    backup: flags.backup === false ? undefined : { path: typeof flags.backup === 'string' ? flags.backup : undefined },
    runner: { concurrency: flags.concurrency, maxRate: flags.maxRate, maxAuthFailures: flags.maxAuthFailures },
    records: {
      failedOut: flags.failedOut,
      overwrite: flags.overwrite === true,
      journal: flags.journal,
      fromLine: flags.fromLine,
      allowEmpty: flags.allowEmpty === true,
    },
    json: flags.json === true,
    dryRun: flags.dryRun === true,
    verbose: flags.verbose === true,
    progress: flags.progress,
  };
}
