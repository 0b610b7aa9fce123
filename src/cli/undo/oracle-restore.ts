/**
 * `metaclear restore <backup>` for an Oracle backup (also `metaclear oracle restore <backup>`): puts
 * back the values an `oracle delete-metadata` run backed up, one Assign Values call per file.
 *
 * Which entry of a file is applied, with which values, is worked out before the first request
 * (oracle-restore-plan.ts). For each entry applied it reads the file's own values now
 * (directAssigned=1) and, field by field, assigns the backed-up values it does not hold, then reads
 * the file again to see them back: idempotent (a file that holds them already is left alone) and
 * resumable (with --journal, the same command skips the files done). A field that holds another
 * value now was changed since the backup: it is left as it is unless --force, every other field is
 * restored. Each entry left undone (changed, missing, failed) is listed as it is known, and the run
 * ends with exit status 3 (changed or missing) or 1 (a failure). Requests, and the credential, go
 * only to the API root the operator gave, and only when it is the backup's (commands/restore.ts). The backup
 * is read as the run goes: nothing is kept per entry.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { streamMany } from '../../index.js';
import type { FieldValue } from '../../oracle-documents/client.js';
import { type OwnValues, type RestoreOutcome, restoreFileMetadataValues } from '../../oracle-documents/values.js';
import { action } from '../action.js';
import { causeOf } from '../bulk/failure-cause.js';
import { Journal, JournalPlan, type JournalTarget } from '../bulk/journal.js';
import { checkOutputPath } from '../bulk/output-paths.js';
import { madePrivateLine, resumeCommand } from '../bulk/summary.js';
import { addConnectionOptions } from '../connection.js';
import type { CliContext } from '../context.js';
import { addOracleCredentialOptions, ORACLE_ENV } from '../credentials.js';
import { exitCodeFor, type InterruptedError, UsageError } from '../errors.js';
import { EXIT, restoreExitCode } from '../exit-codes.js';
import { watchInterrupts } from '../interrupt.js';
import { connect, type OracleSession } from '../oracle/session.js';
import { parseInteger, parseRate } from '../parsers.js';
import { errorJson } from '../terminal/json-output.js';
import { addOutputOptions, plural } from '../terminal/output.js';
import { printable } from '../terminal/printable.js';
import { addProgressOption, startProgress } from '../terminal/progress.js';
import { type OracleEntry, openBackup, oracleEntry, oracleLine } from './backup-file.js';
import { planRestore, type RestorePlan } from './oracle-restore-plan.js';
import {
  type OracleRestoreFlags,
  type OracleRestoreSettings,
  oracleRestoreSettings,
} from './oracle-restore-settings.js';

export const ORACLE_RESTORE = 'oracle restore';

export interface OracleRestoreCounts {
  /** Entries read from the backup. */
  entries: number;
  /** Files whose every backed-up value is back, seen by reading the file again after the assign. */
  restored: number;
  /** Files that held every backed-up value already. */
  unchanged: number;
  /** Files where a field holds another value now: that field left as it is (without --force), every other restored. */
  changed: number;
  /** Files that no longer exist. */
  missing: number;
  /** Files that could not be read, assigned or read back (an API or network failure), or were cancelled. */
  failed: number;
  /** Files done in an earlier run, per the journal. */
  skipped: number;
  /** Entries not applied: their clear was refused, or a later entry of the same file is applied in their place. */
  superseded: number;
  /** Assign Values calls. */
  calls: number;
}

/** An entry the restore left undone, as listed (a --json line; a line of text). */
interface LeftEntry {
  fileId: string;
  /** The entry's line in the backup. */
  line: number;
  outcome: 'changed' | 'missing' | 'failed';
  /** The fields left undone: the backed-up value, and (changed) the value the file holds now. */
  fields: Record<string, { backup: FieldValue; now?: FieldValue }>;
  /** changed: the other fields, restored. */
  restored?: OwnValues;
  error?: Record<string, unknown>;
}

/** One restore task: an entry to apply, or one not applied (superseded), passed through for the journal. */
interface Task {
  fileId: string;
  line: number;
  values: OwnValues | undefined;
}

type TaskOutcome = RestoreOutcome | { status: 'superseded' };

/**
 * The restore the settings say, through the session (connected to the settings' API root). Its
 * outcome is the exit status.
 */
export async function restoreOracle(
  ctx: CliContext,
  settings: OracleRestoreSettings,
  session: OracleSession,
): Promise<number> {
  const { backup, header, json } = settings;
  const { collection } = header.target;
  const dryRun = settings.dryRun;
  const journalPath =
    settings.journal === undefined
      ? undefined
      : checkOutputPath('--journal', settings.journal, ctx.deps.cwd, {
          others: [{ flag: 'the backup', path: resolve(ctx.deps.cwd, backup.path) }],
          existingAllowed: true,
          existingHint: '',
        });
  if (journalPath !== undefined && `${journalPath}.backup.jsonl` === resolve(ctx.deps.cwd, backup.path)) {
    // The clear's own journal: it lists the files cleared, which the restore would then skip.
    throw new UsageError(
      `--journal ${settings.journal} is the journal of the run that wrote this backup; give the restore a journal of its own (e.g. --journal restore.journal)`,
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
    superseded: 0,
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
  // entries by their sequence) and the whole backup, checked before the first request; with it,
  // the plan: which entry of each file is applied, with which values.
  const journal =
    journalPath !== undefined && !dryRun
      ? Journal.open(journalPath, '--journal', target, ctx.now(), settings.journal)
      : undefined;
  const planOf = () =>
    journal
      ? new JournalPlan(journal.record, `the journal ${settings.journal}`, `the backup ${backup.path}`)
      : undefined;
  let plan: RestorePlan;
  /** The backup's entries, counted by the check: the progress's total. */
  let total = 0;
  try {
    const check = planOf();
    plan = await planRestore(backup, statSync(resolve(ctx.deps.cwd, backup.path)).size, (entry, line) => {
      const e = checked(entry, line);
      total++; // not inside check?.run(…): an optional call skips its arguments' evaluation
      check?.run(total, e.fileId);
      return e;
    });
    check?.end(total);
  } catch (error) {
    journal?.close();
    throw error;
  }
  // Entries the journal says are done count as done; each entry this run settles, as it settles.
  const progress = startProgress(ctx, {
    total,
    mode: dryRun ? 'none' : settings.progress,
    noun: 'entries',
    skipped: () => counts.skipped,
  });
  let settled = 0;
  const interruption = watchInterrupts(ctx, (signal) => {
    progress.stop();
    ctx.err.line(`${signal}: stopping; what is restored stays restored (again to exit at once)`);
  });
  // A journal line that cannot be written (a full disk, a file-size limit) stops the run, as in the clear.
  const recordStop = new AbortController();
  if (journal) journal.file.onFailure = (failure) => recordStop.abort(failure);
  const journalPlan = planOf();
  /** The positions (from 1) of the entries handed to the runner and not yet started, in order. */
  const positions: number[] = [];
  /** The position of each entry in flight, by the runner's index. */
  const started = new Map<number, { n: number; task: Task }>();
  const pending: Task[] = [];
  const tasks = (async function* () {
    let n = 0;
    for await (const { entry: raw, line } of backup.entries()) {
      const parsed = oracleLine(backup.path, raw, line);
      if (parsed.entry === undefined) continue;
      const e = checked(raw, line);
      counts.entries++;
      n++;
      if (journalPlan !== undefined && !journalPlan.run(n, e.fileId)) {
        counts.skipped++;
        continue;
      }
      positions.push(n);
      const task: Task = { fileId: e.fileId, line, values: plan.valuesAt(line, e) };
      pending.push(task);
      yield task;
    }
    journalPlan?.end(n);
  })();
  const appLink = session.appLink !== undefined ? { appLink: session.appLink } : {};
  /** Lists an entry left undone: a --json line, or a line of text. */
  const list = (left: LeftEntry): void => {
    if (json) ctx.out.json(left);
    else ctx.out.line(printable(leftText(left, dryRun)));
  };
  try {
    const restoreOne = async (task: Task, signal: AbortSignal): Promise<TaskOutcome> => {
      if (task.values === undefined) return { status: 'superseded' };
      return restoreFileMetadataValues(session.reader, {
        fileId: task.fileId,
        collection,
        fields: Object.keys(task.values),
        values: task.values,
        ...(settings.force ? { force: true } : {}),
        writer: session.client,
        readBack: !dryRun,
        signal,
        ...appLink,
      });
    };
    const results = streamMany(tasks, restoreOne, {
      ...(settings.runner.concurrency !== undefined ? { concurrency: settings.runner.concurrency } : {}),
      ...(settings.runner.maxRate !== undefined ? { maxRatePerSecond: settings.runner.maxRate } : {}),
      adaptive: true,
      signal: AbortSignal.any([interruption.signal, recordStop.signal]),
      // The entry's position, for the journal, as each call starts (results come in completion order).
      onStart: (_fileId, index) =>
        started.set(index, { n: positions.shift() as number, task: pending.shift() as Task }),
    });
    for await (const result of results) {
      const { n, task } = started.get(result.index) as { n: number; task: Task };
      started.delete(result.index);
      settled++;
      progress.update({ done: settled, failed: counts.failed + (result.ok ? 0 : 1) });
      const fileId = result.fileId;
      const backed = task.values ?? {};
      if (!result.ok) {
        counts.failed++;
        const cause = causeOf(result.error);
        if (cause !== 'cancelled') {
          journal?.entry(n, fileId, false, cause);
          if (!json) ctx.err.line(`error: ${printable(fileId)}: ${printable(result.error.message)}`);
        }
        list({
          fileId,
          line: task.line,
          outcome: 'failed',
          fields: Object.fromEntries(Object.entries(backed).map(([f, v]) => [f, { backup: v }])),
          error: errorJson(result.error),
        });
        continue;
      }
      const outcome = result.response;
      if (outcome.status === 'superseded') {
        counts.superseded++;
        journal?.entry(n, fileId, true);
      } else if (outcome.status === 'restored') {
        counts.restored++;
        counts.calls++;
        journal?.entry(n, fileId, true);
      } else if (outcome.status === 'unchanged') {
        counts.unchanged++;
        journal?.entry(n, fileId, true);
      } else if (outcome.status === 'changed') {
        counts.changed++;
        if (Object.keys(outcome.assigned).length > 0) counts.calls++;
        journal?.entry(n, fileId, false, 'changed since the backup');
        list({
          fileId,
          line: task.line,
          outcome: 'changed',
          fields: Object.fromEntries(
            Object.entries(outcome.current).map(([f, now]) => [f, { backup: backed[f] as FieldValue, now }]),
          ),
          restored: outcome.assigned,
        });
      } else {
        counts.missing++;
        journal?.entry(n, fileId, false, 'no longer exists');
        list({
          fileId,
          line: task.line,
          outcome: 'missing',
          fields: Object.fromEntries(Object.entries(backed).map(([f, v]) => [f, { backup: v }])),
        });
      }
    }
  } finally {
    progress.stop();
    interruption.dispose();
    journal?.close();
  }
  const interrupted = interruption.signal.aborted ? (interruption.signal.reason as InterruptedError) : undefined;
  // Decided once the journal is closed: its last write and fsync may fail too.
  const unrecorded = journal?.file.failure;
  const exitCode = interrupted
    ? exitCodeFor(interrupted)
    : unrecorded !== undefined
      ? EXIT.failed
      : restoreExitCode(counts);
  // A resume finishes what failed or was stopped; what changed since the backup stays as it is (exit 3).
  const resume =
    journal !== undefined && exitCode !== EXIT.ok && exitCode !== EXIT.incomplete
      ? resumeCommand(ctx.deps.argv, ctx.deps.cwd)
      : undefined;
  if (dryRun) {
    if (json) ctx.out.json({ dryRun: true, restore: counts });
    else ctx.out.line(describe(counts, backup.path, true));
    session.dryRun?.notice({ reads: true });
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
      ...(exitCode === EXIT.ok ? {} : { error: errorJson(interrupted ?? unrecorded ?? new Error(undoneText(counts))) }),
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
    } else if (exitCode === EXIT.failed || interrupted) {
      ctx.out.line('Run the same command again to finish: what is restored already is left as it is.');
    }
  }
  return exitCode;
}

/** What was left undone, for the error of a restore that did not end with status 0. */
function undoneText(counts: OracleRestoreCounts): string {
  const parts: string[] = [];
  if (counts.failed > 0) parts.push(`${plural(counts.failed, 'file')} could not be restored`);
  if (counts.changed > 0) parts.push(`${plural(counts.changed, 'file')} changed since the backup, left as they are`);
  if (counts.missing > 0) parts.push(`${plural(counts.missing, 'file')} no longer exist`);
  return parts.join('; ');
}

/** An entry left undone, in words. */
function leftText(left: LeftEntry, dryRun: boolean): string {
  const held = (fields: LeftEntry['fields']) =>
    Object.entries(fields)
      .map(([field, { backup }]) => `${field} ${JSON.stringify(backup)}`)
      .join(', ');
  const at = `  ${left.fileId} (line ${left.line})`;
  if (left.outcome === 'missing') return `${at}: no longer exists; not restored: ${held(left.fields)}`;
  if (left.outcome === 'failed') return `${at}: failed; not restored: ${held(left.fields)}`;
  const changed = Object.entries(left.fields)
    .map(([field, { backup, now }]) => `${field} holds ${JSON.stringify(now)} (backup ${JSON.stringify(backup)})`)
    .join(', ');
  const restored = Object.keys(left.restored ?? {});
  return `${at}: changed since the backup: ${changed}; left as it is (--force overwrites it)${restored.length > 0 ? `; ${restored.join(', ')} ${dryRun ? 'would be ' : ''}restored` : ''}`;
}

function describe(counts: OracleRestoreCounts, path: string, dryRun: boolean): string {
  const parts = [
    `${dryRun ? 'Would restore' : 'Restored'} ${plural(counts.restored, 'file')} of ${plural(counts.entries, 'entry', 'entries')} in ${path} (${plural(counts.calls, 'call')})`,
  ];
  if (counts.unchanged > 0) parts.push(`${counts.unchanged} held the backed-up values already`);
  if (counts.changed > 0)
    parts.push(
      `${counts.changed} changed since the backup: the changed fields left as they are (--force overwrites them), the others ${dryRun ? 'would be ' : ''}restored`,
    );
  if (counts.missing > 0) parts.push(`${counts.missing} no longer exist`);
  if (counts.superseded > 0)
    parts.push(
      `${counts.superseded} not applied (their clear was refused, or a later entry of the same file holds the values restored)`,
    );
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
  addProgressOption(restore);
  addOracleCredentialOptions(restore, { baseUrlRequired: false });
  restore
    .addHelpText(
      'after',
      `
Each file is restored field by field: a field that holds another value than the backup's now was
changed since the backup and is left as it is (--force overwrites it); every other field is
restored, then read back. Each entry left undone is listed (--json: a line per entry, with its
fields), then the counts, as read back. Of two entries of one file (a resumed clear backed it up
again), the values of those whose DELETE the server did not refuse are merged, the later winning.

The backup's header names the API root it was taken from. The restore sends its requests, and the
credential, only to the root given with --base-url or ${ORACLE_ENV.baseUrl}, and only when it is
that one: none given, or another, is refused (exit status 2, nothing sent).

Examples:
  metaclear restore metaclear-backup-oracle-20261204T100000Z.jsonl --dry-run
  metaclear oracle restore run.journal.backup.jsonl --journal restore.journal --json

Exit status:
  0    every entry applied is restored (or held its values already), as read back
  1    an entry failed (it could not be read, assigned or read back), whatever else was left undone
  2    bad flags or backup, or an API root other than the backup's; nothing was sent
  3    entries left undone, none failed: a field changed since the backup (left without --force),
       or a file that no longer exists; every other field and file was restored
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)`,
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
        // The flags become the restore's settings here, once; the restore takes them and the session.
        const settings = oracleRestoreSettings(ctx, backup, flags, command);
        return restoreOracle(ctx, settings, connect(ctx, { ...flags, baseUrl: settings.baseUrl }, command));
      }),
    );
}
