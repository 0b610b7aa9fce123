/**
 * `metaclear restore <backup>` for an Oracle backup (also `metaclear oracle restore <backup>`): puts
 * back the values a bulk `oracle delete-metadata` run backed up, one Assign Values call per file.
 *
 * For each entry it reads the file's own values now (directAssigned=1) and assigns the backed-up
 * values it does not hold: idempotent (a file that holds them already is left alone) and resumable
 * (with --journal, the same command skips the files done). A file where a field holds another value
 * now was changed since the backup: it is left as it is unless --force, and counted. The backup is
 * read as the run goes, a window of entries at a time: memory stays flat in its length.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { streamMany } from '../index.js';
import { restoreFileMetadataValues } from '../oracle-documents/values.js';
import { action } from './action.js';
import { type OpenedBackup, type OracleEntry, openBackup, oracleEntry, recordedBaseUrl } from './backup-file.js';
import { madePrivateLine, resumeCommand } from './bulk-summary.js';
import { addConnectionOptions } from './connection.js';
import type { CliContext } from './context.js';
import { addOracleCredentialOptions, ORACLE_ENV } from './credentials.js';
import { exitCodeFor, type InterruptedError, UsageError } from './errors.js';
import { EXIT, exitCodesHelp } from './exit-codes.js';
import { causeOf } from './failure-cause.js';
import { watchInterrupts } from './interrupt.js';
import { Journal, JournalPlan, type JournalTarget } from './journal.js';
import { errorJson } from './json-output.js';
import { connect, type OracleSessionFlags } from './oracle-session.js';
import { addOutputOptions, plural } from './output.js';
import { checkOutputPath } from './output-paths.js';
import { parseInteger, parseRate } from './parsers.js';
import { printable } from './printable.js';

export const ORACLE_RESTORE = 'oracle restore';

export type OracleRestoreFlags = Omit<OracleSessionFlags, 'baseUrl'> & {
  baseUrl?: string;
  force?: true;
  journal?: string;
  concurrency?: number;
  maxRate?: number;
};

export interface OracleRestoreCounts {
  /** Entries read from the backup. */
  entries: number;
  /** Files whose backed-up values this run assigned again. */
  restored: number;
  /** Files that held every backed-up value already. */
  unchanged: number;
  /** Files where a field holds another value now: left as they are (without --force). */
  changed: number;
  /** Files that no longer exist. */
  missing: number;
  /** Files that could not be read or assigned (an API or network failure), or were cancelled. */
  failed: number;
  /** Files done in an earlier run, per the journal. */
  skipped: number;
  /** Assign Values calls. */
  calls: number;
}

export async function restoreOracle(
  ctx: CliContext,
  backup: OpenedBackup,
  flags: OracleRestoreFlags,
  command: Command,
): Promise<number> {
  const header = backup.header;
  if (header.api !== 'oracle-documents') throw new Error('restoreOracle: not an Oracle backup');
  const { collection } = header.target;
  Object.assign(ctx.facts, { backup: backup.path });
  if (flags.baseUrl !== undefined && recordedBaseUrl(flags.baseUrl) !== header.baseUrl) {
    throw new UsageError(
      `the backup ${backup.path} was taken from ${header.baseUrl}, not ${recordedBaseUrl(flags.baseUrl)}; leave out --base-url (and ${ORACLE_ENV.baseUrl}) to restore where it was taken`,
    );
  }
  const session = connect(ctx, { ...flags, baseUrl: header.baseUrl }, command);
  const dryRun = session.dryRun;
  const json = flags.json === true;
  const journalPath =
    flags.journal === undefined
      ? undefined
      : checkOutputPath('--journal', flags.journal, ctx.deps.cwd, {
          others: [{ flag: 'the backup', path: resolve(ctx.deps.cwd, backup.path) }],
          existingAllowed: true,
          existingHint: '',
        });
  if (journalPath !== undefined && `${journalPath}.backup.jsonl` === resolve(ctx.deps.cwd, backup.path)) {
    // The clear's own journal: it lists the files cleared, which the restore would then skip.
    throw new UsageError(
      `--journal ${flags.journal} is the journal of the run that wrote this backup; give the restore a journal of its own (e.g. --journal restore.journal)`,
    );
  }
  const target: JournalTarget = {
    api: 'oracle-documents',
    operation: 'restore',
    origin: new URL(header.baseUrl).origin,
    collection,
    fields: [...header.target.fields].sort(),
  };
  const counts: OracleRestoreCounts = {
    entries: 0,
    restored: 0,
    unchanged: 0,
    changed: 0,
    missing: 0,
    failed: 0,
    skipped: 0,
    calls: 0,
  };
  const fields = header.target.fields;
  /** An entry, checked: an Oracle entry whose fields the header names. */
  const checked = (entry: unknown, line: number): OracleEntry => {
    const e = oracleEntry(backup.path, entry, line);
    const stranger = Object.keys(e.values).find((field) => !fields.includes(field));
    if (stranger !== undefined) {
      throw new UsageError(
        `${backup.path}: line ${line} has a value for field ${JSON.stringify(stranger)}, which the backup's header does not name (${fields.join(', ')})`,
      );
    }
    return e;
  };
  // The journal (bound to a restore of this collection and these fields, and to this backup's
  // entries by their sequence) and the whole backup, checked before the first request.
  const journal =
    journalPath !== undefined && !dryRun
      ? Journal.open(journalPath, '--journal', target, ctx.now(), flags.journal)
      : undefined;
  const planOf = () =>
    journal ? new JournalPlan(journal.record, `the journal ${flags.journal}`, `the backup ${backup.path}`) : undefined;
  try {
    const check = planOf();
    let n = 0;
    for await (const { entry, line } of backup.entries()) {
      // Checked whether or not there is a journal to check it against.
      const { fileId } = checked(entry, line);
      check?.run(++n, fileId);
    }
    check?.end(n);
  } catch (error) {
    journal?.close();
    throw error;
  }
  const interruption = watchInterrupts(ctx, (signal) =>
    ctx.err.line(`${signal}: stopping; what is restored stays restored (again to exit at once)`),
  );
  // A journal line that cannot be written (a full disk, a file-size limit) stops the run, as in the clear.
  const recordStop = new AbortController();
  if (journal) journal.file.onFailure = (failure) => recordStop.abort(failure);
  const plan = planOf();
  /** The positions (from 1) of the entries handed to the runner and not yet started, in order. */
  const positions: number[] = [];
  /** The position of each entry in flight, by the runner's index. */
  const started = new Map<number, number>();
  const entries = (async function* () {
    let n = 0;
    for await (const { entry, line } of backup.entries()) {
      const e = checked(entry, line);
      counts.entries++;
      n++;
      if (plan !== undefined && !plan.run(n, e.fileId)) {
        counts.skipped++;
        continue;
      }
      positions.push(n);
      yield e;
    }
    plan?.end(n);
  })();
  const appLink = session.appLink !== undefined ? { appLink: session.appLink } : {};
  // Two entries for one file (a re-run after a failed clear adds one) are restored in backup
  // order, never at once: the first sets its value, the second then finds it changed (--force: it
  // overwrites). Run side by side, both would read the cleared file and the last to land would win.
  const oneAtATimePerFile = new KeyedQueue();
  try {
    const restoreOne = (entry: OracleEntry, signal: AbortSignal) =>
      restoreFileMetadataValues(session.reader, {
        fileId: entry.fileId,
        collection,
        fields: Object.keys(entry.values),
        values: entry.values,
        ...(flags.force ? { force: true } : {}),
        writer: session.client,
        signal,
        ...appLink,
      });
    const results = streamMany(
      entries,
      (entry: OracleEntry, signal) => oneAtATimePerFile.run(entry.fileId, () => restoreOne(entry, signal)),
      {
        ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
        ...(flags.maxRate !== undefined ? { maxRatePerSecond: flags.maxRate } : {}),
        adaptive: true,
        signal: AbortSignal.any([interruption.signal, recordStop.signal]),
        // The entry's position, for the journal, as each call starts (results come in completion order).
        onStart: (_fileId, index) => started.set(index, positions.shift() as number),
      },
    );
    for await (const result of results) {
      const n = started.get(result.index) as number;
      started.delete(result.index);
      const fileId = result.fileId;
      if (!result.ok) {
        counts.failed++;
        const cause = causeOf(result.error);
        if (cause !== 'cancelled') {
          journal?.entry(n, fileId, false, cause);
          if (!json) ctx.err.line(`error: ${printable(fileId)}: ${printable(result.error.message)}`);
        }
        continue;
      }
      const outcome = result.response;
      if (outcome.status === 'restored') {
        counts.restored++;
        counts.calls++;
        journal?.entry(n, fileId, true);
      } else if (outcome.status === 'unchanged') {
        counts.unchanged++;
        journal?.entry(n, fileId, true);
      } else if (outcome.status === 'changed') {
        counts.changed++;
        journal?.entry(n, fileId, false, 'changed since the backup');
        if (flags.verbose) {
          ctx.err.line(`  ${printable(fileId)}: changed since the backup, left as it is (--force overwrites it)`);
        }
      } else {
        counts.missing++;
        journal?.entry(n, fileId, false, 'no longer exists');
      }
    }
  } finally {
    interruption.dispose();
    journal?.close();
  }
  const interrupted = interruption.signal.aborted ? (interruption.signal.reason as InterruptedError) : undefined;
  // Decided once the journal is closed: its last write and fsync may fail too.
  const unrecorded = journal?.file.failure;
  const exitCode = interrupted
    ? exitCodeFor(interrupted)
    : counts.failed > 0 || unrecorded !== undefined
      ? EXIT.failed
      : EXIT.ok;
  const resume = journal !== undefined && exitCode !== EXIT.ok ? resumeCommand(ctx.deps.argv, ctx.deps.cwd) : undefined;
  if (dryRun) {
    if (json) ctx.out.json({ dryRun: true, restore: counts });
    else ctx.out.line(describe(counts, backup.path, true));
    dryRun.notice({ reads: true });
    return exitCode;
  }
  if (json) {
    ctx.out.json({
      command: ORACLE_RESTORE,
      ok: exitCode === EXIT.ok,
      exitCode,
      ...ctx.facts,
      ...counts,
      journal: journal?.file.path ?? null,
      ...(resume !== undefined ? { resume } : {}),
      ...(exitCode === EXIT.ok
        ? {}
        : {
            error: errorJson(
              interrupted ?? unrecorded ?? new Error(`${plural(counts.failed, 'file')} could not be restored`),
            ),
          }),
    });
  } else {
    if (interrupted) ctx.out.line(`Interrupted (${interrupted.signal}).`);
    if (unrecorded !== undefined) {
      ctx.out.line(
        `Stopped: cannot write ${unrecorded.path} (${unrecorded.code}); the files restored after its last whole line are checked again by the resume.`,
      );
    }
    ctx.out.line(describe(counts, backup.path, false));
    const tightened = journal?.file.tightened;
    if (journal !== undefined && tightened !== undefined) ctx.out.line(madePrivateLine(journal.path, tightened));
    if (resume !== undefined) {
      ctx.out.line('Run it again to finish (the journal skips the files done; what is restored is left as it is):');
      ctx.out.line(`  ${resume}`);
    } else if (exitCode !== EXIT.ok) {
      ctx.out.line('Run the same command again to finish: what is restored already is left as it is.');
    }
  }
  return exitCode;
}

function describe(counts: OracleRestoreCounts, path: string, dryRun: boolean): string {
  const parts = [
    `${dryRun ? 'Would restore' : 'Restored'} ${plural(counts.restored, 'file')} of ${plural(counts.entries, 'entry', 'entries')} in ${path} (${plural(counts.calls, 'call')})`,
  ];
  if (counts.unchanged > 0) parts.push(`${counts.unchanged} held the backed-up values already`);
  if (counts.changed > 0)
    parts.push(`${counts.changed} changed since the backup, left as they are (--force overwrites them)`);
  if (counts.missing > 0) parts.push(`${counts.missing} no longer exist`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped (done in an earlier run, per the journal)`);
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  return `${parts.join('; ')}.`;
}

const RESTORE_FLAGS = {
  'options.baseUrl': `--base-url (${ORACLE_ENV.baseUrl})`,
  'options.concurrency': '--concurrency',
  'options.maxRatePerSecond': '--max-rate',
};

/** `metaclear oracle restore <backup>`. */
export function registerOracleRestore(group: Command, ctx: CliContext): void {
  const restore = group
    .command('restore <backup>')
    .summary('put back the values a bulk delete-metadata run backed up')
    .description(
      'Put back the values of a backup written by a bulk delete-metadata run (Assign Values, one call per\n' +
        "file). Each file's own values are read first: a file that holds its backed-up values already is\n" +
        'left alone, so running it again finishes it (--journal skips the files done); a file where a field\n' +
        'holds another value now is left as it is unless --force.',
    )
    .addOption(new Option('--force', 'also overwrite values changed since the backup'))
    .addOption(
      new Option(
        '--journal <path>',
        'append one line per file done; the same command with the same journal skips them',
      ),
    )
    .addOption(new Option('--concurrency <n>', 'requests in flight at once (default 8)').argParser(parseInteger))
    .addOption(new Option('--max-rate <n/s>', 'start at most n requests per second, e.g. 20/s').argParser(parseRate));
  addConnectionOptions(restore);
  addOutputOptions(restore);
  addOracleCredentialOptions(restore, { baseUrlRequired: false });
  restore
    .addHelpText(
      'after',
      `
The backup's header names the API root it was taken from; the restore goes there (a different
--base-url or ${ORACLE_ENV.baseUrl} is refused).

Examples:
  metaclear restore metaclear-backup-oracle-20261204T100000Z.jsonl --dry-run
  metaclear oracle restore run.journal.backup.jsonl --journal restore.journal --json

${exitCodesHelp({ bulk: true })}`,
    )
    .action(
      action<OracleRestoreFlags>(ctx, RESTORE_FLAGS, async (flags, command) => {
        if (flags.concurrency !== undefined && flags.concurrency < 1) {
          throw new UsageError(`--concurrency: expected a positive integer, got ${flags.concurrency}`);
        }
        const backup = await openBackup(String(command.args[0]), ctx.deps.cwd);
        if (backup.header.api !== 'oracle-documents') {
          throw new UsageError(
            `${backup.path} is a backup of ${backup.header.api}, not oracle-documents; run: metaclear restore ${backup.path}`,
          );
        }
        return restoreOracle(ctx, backup, flags, command);
      }),
    );
}

/**
 * Runs tasks of one key one after another, in the order they were given; tasks of other keys run
 * freely. Holds only the keys with a task running or waiting (at most the runner's concurrency).
 */
class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<R>(key: string, task: () => Promise<R>): Promise<R> {
    const before = this.#tails.get(key);
    const result = before === undefined ? task() : before.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
