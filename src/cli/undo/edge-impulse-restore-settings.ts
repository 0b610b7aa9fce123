/**
 * The settings of `edge-impulse restore <backup>`, made from its flags once, at the command's edge:
 * what to restore (the backup, and the API root checked to be the backup's), the guard (--force),
 * the waiting for the clear's jobs (--no-wait, --lost-jobs-ended, --timeout), and the output. The
 * restore (edge-impulse-restore.ts) takes them, never the flags. Making the settings checks the API
 * root only, where the restore checked it: every other check stays where it was, so a run with
 * several faults reports the same one first.
 */
import type { Command } from 'commander';
import { restoreRoot } from '../commands/restore.js';
import type { CliContext } from '../context.js';
import type { FollowOptions, SessionFlags } from '../edge-impulse/session.js';
import type { ProgressFlags, ProgressMode } from '../terminal/progress.js';
import type { BackupHeader, OpenedBackup } from './backup-file.js';

/** The flags of `edge-impulse restore`, as commander parses them. */
export type RestoreFlags = Omit<SessionFlags, 'wait'> &
  ProgressFlags & { force?: true; wait?: boolean; lostJobsEnded?: true };

export interface EdgeImpulseRestoreSettings {
  /** The backup to restore. */
  backup: OpenedBackup;
  /** Its header: an Edge Impulse backup's. */
  header: Extract<BackupHeader, { api: 'edge-impulse' }>;
  /** The API root the requests and the credential go to: the one the operator gave, the backup's. */
  baseUrl: string;
  /** --force: a sample changed since the backup is overwritten too. */
  force: boolean;
  /** Whether the clear's jobs still running are waited for; false (--no-wait): the restore is refused. */
  waitForClearJobs: boolean;
  /** --lost-jobs-ended: the operator saw the jobs end that a call whose answer was lost may have started. */
  lostJobsEnded: boolean;
  /** How each job (the clear's, and the restore's own) is followed: --timeout and the --progress mode. */
  follow: FollowOptions;
  /** --json: one JSON document on stdout; otherwise lines of text. */
  json: boolean;
  /** --dry-run: the reads are sent, the batchAddMetadata calls printed and not sent. */
  dryRun: boolean;
  progress: ProgressMode | undefined;
}

/**
 * The settings the flags say, with the backup and its target in the facts every outcome reports; a
 * usage error (nothing sent) when the API root given is not the backup's, or none was given.
 */
export function edgeImpulseRestoreSettings(
  ctx: CliContext,
  backup: OpenedBackup,
  flags: RestoreFlags,
  command: Command,
): EdgeImpulseRestoreSettings {
  const header = backup.header;
  if (header.api !== 'edge-impulse') throw new Error('edgeImpulseRestoreSettings: not an Edge Impulse backup');
  const { projectId, category, metadataKey } = header.target;
  Object.assign(ctx.facts, { backup: backup.path, projectId, category, metadataKey });
  // The root the operator gave (flag, variable or the client's default), only if it is the backup's.
  const baseUrl = restoreRoot(backup, flags.baseUrl, {
    flag: '--base-url',
    env: 'EDGE_IMPULSE_BASE_URL',
    source: command.getOptionValueSource('baseUrl'),
  });
  return {
    backup,
    header,
    baseUrl,
    force: flags.force === true,
    waitForClearJobs: flags.wait !== false,
    lostJobsEnded: flags.lostJobsEnded === true,
    follow: {
      ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
      ...(flags.progress !== undefined ? { progress: flags.progress } : {}),
    },
    json: flags.json === true,
    dryRun: flags.dryRun === true,
    progress: flags.progress,
  };
}
