/**
 * `metaclear restore <backup> [flags]`: reads the backup's header and runs the restore of its API
 * (`metaclear edge-impulse restore <backup>`, `metaclear oracle restore <backup>`), with the flags given.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { action } from '../action.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { type OpenedBackup, openBackup, recordedBaseUrl } from '../undo/backup-file.js';

/** The API a backup is of, read from its first line; undefined when that cannot be read. */
function apiOf(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const first = head.subarray(0, n).toString('utf8').split('\n', 1)[0] ?? '';
    const api = (JSON.parse(first) as { api?: unknown }).api;
    return typeof api === 'string' ? api : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * `restore <backup> …` as the command of the backup's API (`edge-impulse restore <backup> …`,
 * `oracle restore <backup> …`), when
 * the backup names one this CLI has; otherwise the arguments as they are (the top-level command then
 * says what is wrong with the backup).
 */
export function routeRestore(argv: readonly string[], cwd: string): readonly string[] {
  if (argv[0] !== 'restore' || argv[1] === undefined || argv[1].startsWith('-')) return argv;
  const api = apiOf(resolve(cwd, argv[1]));
  if (api === 'edge-impulse') return [api, ...argv];
  if (api === 'oracle-documents') return ['oracle', ...argv];
  return argv;
}

/** How the operator gave a restore its API root: the flag and variable that set it, and where commander took it from. */
export interface RootGiven {
  /** e.g. --base-url */
  flag: string;
  /** e.g. OCM_BASE_URL */
  env: string;
  /** commander's value source: 'cli', 'env', 'default' (the client's default root), or undefined (none given). */
  source: string | undefined;
}

/**
 * The API root a restore sends its requests, and so its credential, to: the one the operator gave
 * (the flag, the variable, or the client's default root), and only when it is the root the backup's
 * header names. A backup is a file anyone could have written: its header says where the values came
 * from, never where a credential goes. Refused (a UsageError, exit 2, nothing sent) when no root was
 * given or another one was, naming both roots and the flag to set.
 */
export function restoreRoot(backup: OpenedBackup, given: string | undefined, how: RootGiven): string {
  const taken = backup.header.baseUrl;
  const set = `set ${how.flag} ${taken} (or ${how.env}) to restore where it was taken`;
  if (given === undefined) {
    throw new UsageError(
      `the backup ${backup.path} was taken from ${taken}, and no API root was given: a restore sends the credential only to an API root given to it; ${set}`,
    );
  }
  let root: string;
  try {
    root = recordedBaseUrl(given);
  } catch {
    throw new UsageError(`${how.flag} (${how.env}): expected an absolute URL, got ${JSON.stringify(given)}`);
  }
  if (root !== taken) {
    const from = how.source === 'cli' ? how.flag : how.source === 'env' ? how.env : "the client's default";
    throw new UsageError(
      `the backup ${backup.path} was taken from ${taken}, not ${root} (${from}); a restore sends the credential only to an API root given to it: ${set}`,
    );
  }
  return given;
}

export function registerRestore(program: Command, ctx: CliContext): void {
  program
    .command('restore <backup>')
    .summary('put back the values a clear-metadata run backed up')
    .description(
      'Put back the values a run backed up before it cleared them (its summary prints this command).\n' +
        'Reads the backup, then runs `metaclear <api> restore <backup>` with the flags given; see\n' +
        '`metaclear edge-impulse restore --help` and `metaclear oracle restore --help` for them.',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action(
      action<{ json?: true }>(ctx, {}, async (_flags, command) => {
        const path = String(command.args[0]);
        const backup = await openBackup(path, ctx.deps.cwd);
        throw new UsageError(
          `${path}: a backup of ${backup.header.api}, which this metaclear cannot restore; put the backup first: metaclear restore <backup> [flags]`,
        );
      }),
    );
}
