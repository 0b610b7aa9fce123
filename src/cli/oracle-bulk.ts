/**
 * Bulk mode of `oracle delete-metadata`: file IDs read lazily from a file or stdin, run through the
 * facade's deleteFileMetadataValuesMany. Nothing is lost: every output path is checked before the
 * first request; the failed-IDs file and the journal are written as files finish; a second Ctrl-C
 * adds what was not done from the CLI's own state and exits at once. Then (JSON lines with --json,
 * one per file as it finishes) a summary by cause, and how to re-run or resume.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  CancelledError,
  type ConcurrencyChange,
  createOracleDocumentsClient,
  type DeleteManyItem,
  type ManyResult,
  ValidationError,
} from '../index.js';
import { runMany } from '../oracle-documents/many.js';
import { BulkProgress } from './bulk-progress.js';
import {
  type ConcurrencyReport,
  causeOf,
  causesInOrder,
  concurrencyText,
  remainingIds,
  rerunCommand,
  resumeCommand,
} from './bulk-summary.js';
import type { CliContext } from './context.js';
import { captureFetch } from './dry-run.js';
import { exitCodeFor, type InterruptedError, UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { openFailedFile } from './failed-file.js';
import { InputLineError, openFileIds } from './file-ids.js';
import { watchInterrupts } from './interrupt.js';
import { Journal } from './journal.js';
import { errorJson } from './json-output.js';
import { type ClearOutcome, NO_BACKUP_LINE, OracleBackup } from './oracle-backup.js';
import { checkMaxAffected, previewRun } from './oracle-preview.js';
import { connect, type DeleteFlags, type OracleSession } from './oracle-session.js';
import { plural } from './output.js';
import { checkFolder, checkOutputPath } from './output-paths.js';
import type { RecordFile } from './record-file.js';

/**
 * Runs the facade once on a placeholder ID with a fetch that sends nothing: flags the facade
 * refuses (a field with a comma, a bad applink) fail here, as a usage error, before the first
 * real request, instead of failing every file.
 */
async function preflight(flags: DeleteFlags, session: OracleSession): Promise<void> {
  const offline = createOracleDocumentsClient({
    baseUrl: flags.baseUrl,
    ...(session.credentials.auth !== undefined ? { auth: session.credentials.auth } : {}),
    fetch: captureFetch(
      () => ({ errorCode: '0' }),
      () => undefined,
    ),
  });
  await offline.deleteFileMetadataValues(item(flags, session, 'preflight'));
}

function item(flags: DeleteFlags, session: OracleSession, fileId: string): DeleteManyItem {
  return {
    fileId,
    collection: flags.collection,
    fields: flags.field,
    ...(session.appLink !== undefined ? { appLink: session.appLink } : {}),
  };
}

export async function deleteMany(ctx: CliContext, flags: DeleteFlags, spec: string, command: Command): Promise<number> {
  const session = connect(ctx, flags, command);
  await preflight(flags, session);
  const json = flags.json === true;
  const dryRun = flags.dryRun === true;
  if (flags.concurrency !== undefined && flags.concurrency < 1) {
    throw new ValidationError('options.concurrency', 'a positive integer', `got ${flags.concurrency}`);
  }

  // Every output path, checked before anything is read or sent.
  const inputPath = spec === '-' ? undefined : resolve(ctx.deps.cwd, spec);
  const failedOut =
    flags.failedOut === undefined
      ? undefined
      : checkOutputPath('--failed-out', flags.failedOut, ctx.deps.cwd, {
          others: [{ flag: '--files-from', path: inputPath }],
          existingAllowed: flags.overwrite === true,
          existingHint: 'add --overwrite to replace it, or choose another path',
        });
  if (flags.overwrite && flags.failedOut === undefined) throw new UsageError('--overwrite applies to --failed-out');
  const journalPath =
    flags.journal === undefined
      ? undefined
      : checkOutputPath('--journal', flags.journal, ctx.deps.cwd, {
          others: [
            { flag: '--files-from', path: inputPath },
            { flag: '--failed-out', path: failedOut },
          ],
          existingAllowed: true,
          existingHint: '',
        });
  if (failedOut === undefined && !dryRun) {
    checkFolder('the failed-IDs file (in the current folder; --failed-out chooses another path)', ctx.deps.cwd);
  }
  const backingUp = flags.backup !== false;
  if (dryRun && (backingUp || flags.maxAffected !== undefined)) {
    const reading = watchInterrupts(ctx, () => undefined);
    try {
      return await previewRun(ctx, flags, session, spec, reading.signal, backingUp);
    } finally {
      reading.dispose();
    }
  }
  const backupPlace =
    backingUp && !dryRun
      ? OracleBackup.check(ctx, flags, journalPath, [
          { flag: '--files-from', path: inputPath },
          { flag: '--failed-out', path: failedOut },
          { flag: '--journal', path: journalPath },
        ])
      : undefined;

  const source = await openFileIds(spec, ctx.deps.cwd, ctx.deps.stdin);
  if (source.total === 0 && !flags.allowEmpty) {
    throw new UsageError(
      `${source.name}: no file IDs in it (only blank lines and # comments); add --allow-empty to accept that`,
    );
  }
  const journal = journalPath !== undefined && !dryRun ? await Journal.open(journalPath, '--journal') : undefined;
  if (!dryRun && flags.maxAffected !== undefined) {
    const counting = watchInterrupts(ctx, () => undefined);
    try {
      await checkMaxAffected(ctx, flags, session, spec, (id) => journal?.done.has(id) === true, counting.signal);
    } finally {
      counting.dispose();
    }
  }
  const backup = backupPlace !== undefined ? OracleBackup.open(ctx, flags, backupPlace) : undefined;
  // The per-file call: with a backup, read own values → backup entry → clear those fields.
  const clearOne =
    backup?.step(session) ??
    (async (file: DeleteManyItem, signal: AbortSignal): Promise<ClearOutcome> => ({
      response: await session.client.deleteFileMetadataValues({ ...file, signal }),
      cleared: file.fields,
    }));
  const started = ctx.now();
  const failedFile: RecordFile | undefined = dryRun
    ? undefined
    : openFailedFile(failedOut, flags.overwrite === true, ctx.deps.cwd, started);
  failedFile?.line(
    `# metaclear oracle delete-metadata: the file IDs that did not succeed, run started ${new Date(started).toISOString()}`,
  );
  failedFile?.line('# re-run them with --files-from (lines starting with # are skipped)');

  // The CLI's own account of the run: enough to write the record without the runner.
  const counts = { total: 0, succeeded: 0, failed: 0, skipped: 0 };
  const causes = new Map<string, number>();
  const pending = new Map<number, string>();
  let yielded = 0;
  let readUpTo = { line: 0, end: 0 };
  let inputError: InputLineError | undefined;
  const concurrency: ConcurrencyReport = {
    max: flags.concurrency ?? 8,
    lowest: flags.concurrency ?? 8,
    final: flags.concurrency ?? 8,
    decreases: 0,
    increases: 0,
  };

  const progress = new BulkProgress(ctx, source.total);
  const resume = journal !== undefined ? resumeCommand(ctx.deps.argv) : undefined;
  let forced = false;
  const interruption = watchInterrupts(
    ctx,
    (signal) => {
      progress.stop();
      ctx.err.line(`${signal}: cancelling; files not yet done are reported as cancelled (again to exit at once)`);
    },
    (signal) => {
      forced = true;
      progress.stop();
      // Within a second, from the CLI's own state: the files in flight, then the input not yet read.
      let notDone = 0;
      for (const fileId of pending.values()) {
        failedFile?.line(fileId);
        notDone++;
      }
      if (source.path !== undefined) {
        remainingIds(source.path, readUpTo.end, (fileId) => {
          if (journal?.done.has(fileId)) return;
          failedFile?.line(fileId);
          notDone++;
        });
      } else {
        failedFile?.line(`# stdin was read up to line ${readUpTo.line}; the IDs after it are not in this file`);
      }
      const line = `${counts.succeeded} succeeded, ${counts.failed} failed, ${notDone} not finished (${signal} twice)`;
      failedFile?.line(`# ${line}`);
      failedFile?.close();
      journal?.file.close();
      const exitCode = signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
      if (json) {
        ctx.out.json({
          summary: {
            ...counts,
            notFinished: notDone,
            causes: Object.fromEntries(causesInOrder(causes)),
            interrupted: signal,
            failedFile: failedFile?.path ?? null,
            journal: journal?.file.path ?? null,
            resume: resume ?? null,
            exitCode,
          },
        });
      } else {
        ctx.out.line(`Interrupted (${signal} twice): ${line}.`);
        if (failedFile) ctx.out.line(`The IDs not done are in ${failedFile.path}`);
        if (backup) ctx.out.line(backup.summaryLine(true));
        if (resume) ctx.out.line(`Resume with: ${resume}`);
      }
    },
  );

  const items = (async function* () {
    try {
      for await (const { id, line, end } of source.ids) {
        if (journal?.done.has(id)) {
          counts.skipped++;
          readUpTo = { line, end };
          continue;
        }
        pending.set(yielded++, id);
        readUpTo = { line, end };
        yield item(flags, session, id);
      }
    } catch (error) {
      // A bad line read during the run (stdin is not read ahead): the run stops taking files.
      if (!(error instanceof InputLineError)) throw error;
      inputError = error;
    }
  })();

  const onResult = (result: ManyResult<ClearOutcome>, index: number): void => {
    if (forced) return;
    pending.delete(index);
    counts.total++;
    if (result.ok) {
      counts.succeeded++;
      journal?.succeeded(result.fileId);
    } else {
      counts.failed++;
      const cause = causeOf(result.error);
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
      failedFile?.line(result.fileId);
      if (!(result.error instanceof CancelledError)) journal?.failed(result.fileId, cause);
      if (!json && !dryRun && !(result.error instanceof CancelledError)) {
        ctx.err.line(`error: ${result.fileId}: ${result.error.message}`);
      }
    }
    if (json && !dryRun) {
      ctx.out.json(
        result.ok
          ? {
              fileId: result.fileId,
              ok: true,
              response: result.response.response,
              ...(backup ? { cleared: result.response.cleared } : {}),
            }
          : { fileId: result.fileId, ok: false, cause: causeOf(result.error), error: errorJson(result.error) },
      );
    }
  };
  const onConcurrencyChange = (change: ConcurrencyChange): void => {
    if (change.reason === 'overload') concurrency.decreases++;
    else concurrency.increases++;
    concurrency.lowest = Math.min(concurrency.lowest, change.concurrency);
    concurrency.final = change.concurrency;
    if (flags.verbose) ctx.err.line(`  concurrency ${change.previous} -> ${change.concurrency} (${change.reason})`);
  };

  let backupKept: boolean | undefined;
  try {
    await runMany(items, clearOne, {
      ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
      ...(flags.maxRate !== undefined ? { maxRatePerSecond: flags.maxRate } : {}),
      adaptive: true,
      signal: interruption.signal,
      onProgress: (p) => progress.update(p),
      onResult: onResult as (result: ManyResult<unknown>, index: number) => void,
      onConcurrencyChange,
    });
  } finally {
    progress.stop();
    interruption.dispose();
    backupKept = backup?.close();
  }
  const interrupted = interruption.signal.aborted ? (interruption.signal.reason as InterruptedError) : undefined;

  const causeText = causesInOrder(causes)
    .map(([cause, n]) => `${n} ${cause}`)
    .join(', ');
  const skippedText = counts.skipped > 0 ? `, ${counts.skipped} skipped (done in an earlier run, per the journal)` : '';
  const summaryLine = `${plural(counts.total, 'file')}: ${counts.succeeded} succeeded, ${counts.failed} failed${causeText ? ` (${causeText})` : ''}${skippedText}`;
  const adaptiveText = concurrencyText(concurrency);
  const empty = counts.total === 0 && counts.skipped === 0 && inputError === undefined;

  let failedPath: string | undefined;
  let rerun: string | undefined;
  if (failedFile !== undefined) {
    failedFile.line(`# ${summaryLine}${interrupted ? `, ${interrupted.message}` : ''}`);
    if (inputError) failedFile.line(`# stopped: ${inputError.message}`);
    failedFile.close();
    if (counts.failed > 0 || failedOut !== undefined) failedPath = failedFile.path;
    else failedFile.discard();
    if (counts.failed > 0) rerun = rerunCommand(flags, command, failedFile.path);
  }
  journal?.file.close();

  let exitCode: number = EXIT.ok;
  if (interrupted) exitCode = exitCodeFor(interrupted);
  else if (inputError) exitCode = EXIT.usage;
  else if (empty && !flags.allowEmpty) exitCode = EXIT.usage;
  else if (counts.failed > 0) exitCode = EXIT.failed;

  if (inputError) ctx.err.line(`error: ${inputError.message}; the files before it were run`);
  if (empty && !flags.allowEmpty) {
    ctx.err.line(`error: ${source.name}: no file IDs in it; add --allow-empty to accept that`);
  }
  const resumeHint = interrupted || inputError ? resume : undefined;
  if (dryRun) {
    session.dryRun?.notice();
  } else if (json) {
    ctx.out.json({
      summary: {
        ...counts,
        causes: Object.fromEntries(causesInOrder(causes)),
        interrupted: interrupted?.signal ?? null,
        failedFile: failedPath ?? null,
        rerun: rerun ?? null,
        journal: journal?.file.path ?? null,
        resume: resumeHint ?? null,
        concurrency,
        backup: backup && backupKept ? backup.path : null,
        cleared: backup ? backup.cleared : counts.succeeded,
        exitCode,
      },
    });
    if (rerun !== undefined) ctx.err.line(`failed IDs written to ${failedPath}; re-run with: ${rerun}`);
  } else {
    if (interrupted) ctx.out.line(`Interrupted (${interrupted.signal}).`);
    ctx.out.line(`${summaryLine}.`);
    if (adaptiveText) ctx.out.line(`Rate: ${adaptiveText}.`);
    ctx.out.line(backup ? backup.summaryLine(backupKept === true) : NO_BACKUP_LINE);
    if (rerun !== undefined) {
      ctx.out.line(`Failed file IDs written to ${failedPath}`);
      ctx.out.line('Re-run them with:');
      ctx.out.line(`  ${rerun}`);
    }
    if (resumeHint !== undefined) {
      ctx.out.line('Resume the run (the journal skips the files that succeeded) with:');
      ctx.out.line(`  ${resumeHint}`);
    } else if (interrupted && journal === undefined) {
      ctx.out.line('Add --journal <path> to a bulk run to resume it after an interruption.');
    }
  }
  return exitCode;
}
