/**
 * The settings of `oracle restore <backup>`, made from its flags once, at the command's edge: what
 * to restore (the backup, and the API root checked to be the backup's), the guard (--force), the
 * journal, the runner, and the output. The restore (oracle-restore.ts) takes them, never the flags.
 * Which entries of the backup are applied is another plan, worked out from the backup itself
 * (oracle-restore-plan.ts). Making the settings checks the API root only, where the restore checked
 * it: every other check stays where it was, so a run with several faults reports the same one first.
 */
import type { Command } from 'commander';
import { restoreRoot } from '../commands/restore.js';
import type { CliContext } from '../context.js';
import { ORACLE_ENV } from '../credentials.js';
import type { OracleSessionFlags } from '../oracle/session.js';
import type { ProgressFlags, ProgressMode } from '../terminal/progress.js';
import type { BackupHeader, OpenedBackup } from './backup-file.js';

/** The flags of `oracle restore`, as commander parses them. */
export type OracleRestoreFlags = Omit<OracleSessionFlags, 'baseUrl'> &
  ProgressFlags & {
    baseUrl?: string;
    force?: true;
    journal?: string;
    concurrency?: number;
    maxRate?: number;
  };

export interface OracleRestoreSettings {
  /** The backup to restore. */
  backup: OpenedBackup;
  /** Its header: an Oracle backup's. */
  header: Extract<BackupHeader, { api: 'oracle-documents' }>;
  /** The API root the requests and the credential go to: the one the operator gave, the backup's. */
  baseUrl: string;
  /** --force: a field changed since the backup is overwritten too. */
  force: boolean;
  /** --journal as given (checked before the first request); undefined: no journal. */
  journal: string | undefined;
  /** The runner: --concurrency (undefined: the facade's default) and --max-rate, requests per second. */
  runner: { concurrency: number | undefined; maxRate: number | undefined };
  /** --json: JSON on stdout; otherwise lines of text. */
  json: boolean;
  /** --dry-run: the reads are sent, the assigns printed and not sent. */
  dryRun: boolean;
  progress: ProgressMode | undefined;
}

/**
 * The settings the flags say, with the backup in the facts every outcome reports; a usage error
 * (nothing sent) when the API root given is not the backup's, or none was given.
 */
export function oracleRestoreSettings(
  ctx: CliContext,
  backup: OpenedBackup,
  flags: OracleRestoreFlags,
  command: Command,
): OracleRestoreSettings {
  const header = backup.header;
  if (header.api !== 'oracle-documents') throw new Error('oracleRestoreSettings: not an Oracle backup');
  Object.assign(ctx.facts, { backup: backup.path });
  const baseUrl = restoreRoot(backup, flags.baseUrl, {
    flag: '--base-url',
    env: ORACLE_ENV.baseUrl,
    source: command.getOptionValueSource('baseUrl'),
  });
  return {
    backup,
    header,
    baseUrl,
    force: flags.force === true,
    journal: flags.journal,
    runner: { concurrency: flags.concurrency, maxRate: flags.maxRate },
    json: flags.json === true,
    dryRun: flags.dryRun === true,
    progress: flags.progress,
  };
}
