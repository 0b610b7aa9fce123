/** The CLI's exit statuses: one meaning each, documented in `metaclear --help`. */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** The API refused or failed (ApiError, NetworkError, a failed job), or a bulk item failed. */
  failed: 1,
  /** Bad flags or input: nothing was sent (commander's usage errors, the facade's ValidationError). */
  usage: 2,
  /**
   * A restore ran but left entries undone that the operator must look at: a value changed since the
   * backup (left as it is without `--force`), or a file or sample that no longer exists. Nothing failed.
   */
  incomplete: 3,
  /**
   * A restore refused to start because server work its backup depends on (the jobs the clear
   * started) may not have finished: `--no-wait` said not to wait for it, or a clear call lost its
   * answer and may have started a job no line names (`--lost-jobs-ended` once they have ended).
   */
  pending: 75,
  /** `--wait` gave up: the job was still running when `--timeout` ran out. */
  timedOut: 124,
  /** Stopped by Ctrl-C (SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM. */
  terminated: 143,
} as const;

/**
 * How a restore ends, from what it read back: 1 when an entry failed, else 3 when entries were left
 * undone (changed since the backup, or gone), else 0. One rule for both APIs' restores.
 */
export function restoreExitCode(counts: { failed: number; changed: number; missing: number }): number {
  if (counts.failed > 0) return EXIT.failed;
  return counts.changed + counts.missing > 0 ? EXIT.incomplete : EXIT.ok;
}

/** The exit statuses a command can end with, for its --help. */
export function exitCodesHelp(
  options: { wait?: boolean; bulk?: boolean; restore?: boolean } = { wait: true, bulk: true },
): string {
  return [
    'Exit status:',
    '  0    success',
    `  1    the API refused or failed${options.wait ? ', or the job failed' : ''}${options.restore ? '; or a sample was read back without the value the restore set' : ''}${options.bulk ? '; in bulk mode: any file failed, or the run stopped on a refused credential or a record it could not write' : ''}`,
    '  2    bad flags or input; nothing was sent',
    ...(options.restore
      ? [
          '  3    the restore left entries undone: changed since the backup (without --force), or gone',
          "  75   the clear's jobs may still run (--no-wait, or a clear call whose answer was lost: see",
          '       --lost-jobs-ended); nothing was restored',
        ]
      : []),
    ...(options.wait
      ? [`  124  ${options.restore ? 'a job' : '--wait: the job'} had not finished within --timeout`]
      : []),
    '  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)',
  ].join('\n');
}
