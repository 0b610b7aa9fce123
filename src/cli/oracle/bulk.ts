/**
 * Bulk mode of `oracle delete-metadata`, as one pipeline:
 *   input (bulk/input.ts: IDs read lazily, minus those the journal has done)
 *   → runner (streamMany: concurrency, rate, AIMD, cancellation; results as they finish)
 *   → the per-file call (clearFile: with the backup (undo/oracle-backup.ts), read the file's own values →
 *     write them to the backup → clear those fields; with --no-backup, one DELETE)
 *   → recorder (bulk/recorder.ts: journal, failed-IDs file, counts; durable every second)
 *   → summary (bulk/summary.ts: what was done, what was not, the commands that re-run and resume).
 * Memory is O(concurrency). Every way the run ends (done, Ctrl-C, a second Ctrl-C, a record that
 * cannot be written, the credential refused, a bad input line) goes through the same summary.
 */
import { resolve } from 'node:path';
import {
  type ConcurrencyChange,
  createOracleDocumentsClient,
  type DeleteManyItem,
  type IndexedResult,
  type ManyOptions,
  streamMany,
  ValidationError,
} from '../../index.js';
import { DEFAULT_CONCURRENCY } from '../../oracle-documents/many.js';
import { CredentialRefusals, DEFAULT_MAX_AUTH_FAILURES } from '../bulk/fail-fast.js';
import { openFailedFile } from '../bulk/failed-file.js';
import { type FileIdSource, InputLineError, openFileIds } from '../bulk/file-ids.js';
import { BulkInput, type BulkItem } from '../bulk/input.js';
import { Journal, JournalInputError, JournalPlan, type JournalTarget } from '../bulk/journal.js';
import { checkFolder, checkOutputPath } from '../bulk/output-paths.js';
import type { RecordFile, RecordWriteError } from '../bulk/record-file.js';
import { BulkRecorder } from '../bulk/recorder.js';
import { RequestGate } from '../bulk/request-gate.js';
import {
  type BulkOutcome,
  type BulkStop,
  type ConcurrencyReport,
  rerunCommand,
  resumeCommand,
  summaryJson,
  summaryLines,
} from '../bulk/summary.js';
import type { CliContext } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { watchInterrupts } from '../interrupt.js';
import { captureFetch } from '../terminal/dry-run.js';
import { errorJson } from '../terminal/json-output.js';
import { printable } from '../terminal/printable.js';
import { type ProgressReporter, startProgress } from '../terminal/progress.js';
import { type ClearOutcome, NO_BACKUP_LINE, OracleBackup } from '../undo/oracle-backup.js';
import type { DeletePlan, DeleteTarget } from './delete-plan.js';
import { checkMaxAffected, previewRun } from './preview.js';
import type { OracleSession } from './session.js';

function item(target: DeleteTarget, session: OracleSession, fileId: string): DeleteManyItem {
  return {
    fileId,
    collection: target.collection,
    fields: target.fields,
    ...(session.appLink !== undefined ? { appLink: session.appLink } : {}),
  };
}

/**
 * Runs the facade once on a placeholder ID with a fetch that sends nothing: flags the facade
 * refuses (a field with a comma, a bad applink) fail here, as a usage error, before the first
 * real request, instead of failing every file.
 */
export async function preflight(target: DeleteTarget, session: OracleSession): Promise<void> {
  const offline = createOracleDocumentsClient({
    baseUrl: target.baseUrl,
    ...(session.credentials.auth !== undefined ? { auth: session.credentials.auth } : {}),
    fetch: captureFetch(
      () => ({ errorCode: '0' }),
      () => undefined,
    ),
  });
  await offline.deleteFileMetadataValues(item(target, session, 'preflight'));
}

/**
 * The per-file step of the run. Whatever a file needs done is done here: with a backup, read its own
 * values → write them to the backup → clear exactly those fields; with --no-backup, one DELETE.
 */
function clearFile(
  target: DeleteTarget,
  session: OracleSession,
  backup: OracleBackup | undefined,
  gate: RequestGate | undefined,
) {
  const backedUp = backup?.step(session, gate);
  return async (file: BulkItem, signal: AbortSignal): Promise<ClearOutcome> => {
    const one = item(target, session, file.fileId);
    if (backedUp) return backedUp(one, signal);
    return { response: await session.client.deleteFileMetadataValues({ ...one, signal }), cleared: one.fields };
  };
}

interface Paths {
  inputPath: string | undefined;
  failedOut: string | undefined;
  journalPath: string | undefined;
}

/** Every output path, checked before anything is read or sent. */
function checkPaths(ctx: CliContext, plan: DeletePlan, spec: string): Paths {
  const { records } = plan;
  const inputPath = spec === '-' ? undefined : resolve(ctx.deps.cwd, spec);
  if (records.overwrite && records.failedOut === undefined) throw new UsageError('--overwrite applies to --failed-out');
  const failedOut =
    records.failedOut === undefined
      ? undefined
      : checkOutputPath('--failed-out', records.failedOut, ctx.deps.cwd, {
          others: [{ flag: '--files-from', path: inputPath }],
          existingAllowed: records.overwrite,
          existingHint: 'add --overwrite to replace it, or choose another path',
        });
  const journalPath =
    records.journal === undefined
      ? undefined
      : checkOutputPath('--journal', records.journal, ctx.deps.cwd, {
          others: [
            { flag: '--files-from', path: inputPath },
            { flag: '--failed-out', path: failedOut },
          ],
          existingAllowed: true,
          existingHint: '',
        });
  if (failedOut === undefined && !plan.dryRun) {
    checkFolder('the failed-IDs file (in the current folder; --failed-out chooses another path)', ctx.deps.cwd);
  }
  return { inputPath, failedOut, journalPath };
}

/** The plan's numbers, refused before anything is read or sent when they have no meaning. */
function checkPlan({ runner, records }: DeletePlan): void {
  if (runner.concurrency !== undefined && runner.concurrency < 1) {
    throw new ValidationError('options.concurrency', 'a positive integer', `got ${runner.concurrency}`);
  }
  if (runner.maxAuthFailures !== undefined && runner.maxAuthFailures < 0) {
    throw new UsageError(
      `--max-auth-failures: expected 0 (never stop) or a positive integer, got ${runner.maxAuthFailures}`,
    );
  }
  if (records.fromLine !== undefined && records.fromLine < 1) {
    throw new UsageError(`--from-line: expected a line number from 1, got ${records.fromLine}`);
  }
  if (records.fromLine !== undefined && records.journal !== undefined) {
    throw new UsageError('--from-line and --journal do not go together: the journal says where to resume');
  }
}

function journalTarget(target: DeleteTarget): JournalTarget {
  return {
    api: 'oracle-documents',
    operation: 'delete-metadata',
    origin: new URL(target.baseUrl).origin,
    collection: target.collection,
    fields: [...target.fields].sort(),
  };
}

/** The journal (locked) and the input, checked against each other before anything is sent. */
async function openInput(
  ctx: CliContext,
  run: DeletePlan,
  spec: string,
  journalPath: string | undefined,
): Promise<{ source: FileIdSource; journal: Journal | undefined; plan: JournalPlan | undefined }> {
  const { records } = run;
  const journal =
    journalPath !== undefined && !run.dryRun
      ? Journal.open(journalPath, '--journal', journalTarget(run.target), ctx.now(), records.journal)
      : undefined;
  const describe = `the journal ${records.journal}`;
  const inputName = spec === '-' ? '--files-from - (stdin)' : `--files-from ${spec}`;
  const plan = journal ? new JournalPlan(journal.record, describe, inputName) : undefined;
  try {
    const checkPlan = journal ? new JournalPlan(journal.record, describe, inputName) : undefined;
    const check = checkPlan && {
      each: (n: number, id: string) => void checkPlan.run(n, id),
      end: (count: number) => checkPlan.end(count),
    };
    const source = await openFileIds(spec, ctx.deps.cwd, ctx.deps.stdin, check);
    if (source.total === 0 && !records.allowEmpty) {
      throw new UsageError(
        `${source.name}: no file IDs in it (only blank lines and # comments); add --allow-empty to accept that`,
      );
    }
    if (records.fromLine !== undefined && source.lines !== undefined && records.fromLine > source.lines) {
      throw new UsageError(
        `--from-line ${records.fromLine}: ${source.name} has ${source.lines} lines; expected a line number within it`,
      );
    }
    return { source, journal, plan };
  } catch (error) {
    journal?.close();
    throw error;
  }
}

/** The failed-IDs file, opened with its header (none with --dry-run); the journal is closed if it cannot be. */
function openFailedRecord(ctx: CliContext, plan: DeletePlan, paths: Paths, journal: Journal | undefined) {
  if (plan.dryRun) return undefined;
  const started = ctx.now();
  let file: RecordFile;
  try {
    file = openFailedFile(paths.failedOut, plan.records.overwrite, ctx.deps.cwd, started);
  } catch (error) {
    journal?.close();
    throw error;
  }
  file.line(
    `# metaclear oracle delete-metadata: the file IDs that did not succeed, run started ${new Date(started).toISOString()}`,
  );
  file.line('# re-run them with --files-from (lines starting with # are skipped)');
  return file;
}

/**
 * Files a backed-up run holds per request it may have at the server: a file whose backup entry
 * waits for the disk holds none (see bulk/request-gate.ts).
 */
const FILES_PER_REQUEST = 2;

/** The runner's settings: the plan's, the run's stop signal, and the hooks that feed the recorder and the progress bar. */
function runnerOptions(
  ctx: CliContext,
  plan: DeletePlan,
  run: {
    signal: AbortSignal;
    recorder: BulkRecorder;
    input: BulkInput;
    progress: ProgressReporter;
    concurrency: ConcurrencyReport;
    gate: RequestGate | undefined;
  },
): ManyOptions {
  const { gate } = run;
  // With a gate, the runner's limit is FILES_PER_REQUEST times the requests'; what is reported
  // (the summary, --verbose) is always in requests, the unit of --concurrency.
  const inRequests = (files: number): number => (gate ? Math.max(1, Math.ceil(files / FILES_PER_REQUEST)) : files);
  return {
    concurrency: (plan.runner.concurrency ?? DEFAULT_CONCURRENCY) * (gate ? FILES_PER_REQUEST : 1),
    ...(plan.runner.maxRate !== undefined ? { maxRatePerSecond: plan.runner.maxRate } : {}),
    adaptive: true,
    signal: run.signal,
    onStart: (_fileId, index) => run.recorder.started(index, run.input.take(index)),
    onProgress: (p) => run.progress.update(p),
    onConcurrencyChange: (files: ConcurrencyChange) => {
      const change = { ...files, previous: inRequests(files.previous), concurrency: inRequests(files.concurrency) };
      if (gate) gate.limit = change.concurrency;
      if (change.previous === change.concurrency) return;
      noteConcurrency(run.concurrency, change);
      if (plan.verbose) ctx.err.line(`  concurrency ${change.previous} -> ${change.concurrency} (${change.reason})`);
    },
  };
}

/** Runs the plan (planDelete) on the file IDs of `spec` (a path, or - for stdin), with the session its flags made. */
export async function deleteMany(
  ctx: CliContext,
  plan: DeletePlan,
  session: OracleSession,
  spec: string,
): Promise<number> {
  await preflight(plan.target, session);
  checkPlan(plan);
  const { json, dryRun, records } = plan;
  const paths = checkPaths(ctx, plan, spec);
  const backingUp = plan.backup !== undefined;
  if (dryRun && (backingUp || plan.maxAffected !== undefined)) {
    // The preview: each file's own values and the DELETE it would get, then the totals.
    const reading = watchInterrupts(ctx, () => undefined);
    try {
      return await previewRun(ctx, plan, session, spec, reading.signal, backingUp);
    } finally {
      reading.dispose();
    }
  }
  const backupPlace =
    plan.backup !== undefined && !dryRun
      ? OracleBackup.check(ctx, plan.target, plan.backup.path, paths.journalPath, [
          { flag: '--files-from', path: paths.inputPath },
          { flag: '--failed-out', path: paths.failedOut },
          { flag: '--journal', path: paths.journalPath },
        ])
      : undefined;
  const { source, journal, plan: journalPlan } = await openInput(ctx, plan, spec, paths.journalPath);
  let backup: OracleBackup | undefined;
  try {
    if (!dryRun && plan.maxAffected !== undefined) {
      // A read pass over the input (minus what the journal has done) before anything is cleared.
      const countPlan = journal
        ? new JournalPlan(journal.record, `the journal ${records.journal}`, source.name)
        : undefined;
      const fromLine = records.fromLine ?? 1;
      const counting = watchInterrupts(ctx, () => undefined);
      try {
        await checkMaxAffected(
          ctx,
          plan,
          session,
          spec,
          (n, id, line) => line < fromLine || (countPlan !== undefined && !countPlan.run(n, id)),
          counting.signal,
        );
      } finally {
        counting.dispose();
      }
    }
    if (backupPlace !== undefined) backup = OracleBackup.open(ctx, plan.target, backupPlace);
  } catch (error) {
    journal?.close();
    throw error;
  }

  const failedFile = openFailedRecord(ctx, plan, paths, journal);

  // The run stops on Ctrl-C, on a record it cannot write, or on a credential refused again and again.
  const stopper = new AbortController();
  let stop: BulkStop | undefined;
  const stopWith = (why: BulkStop): void => {
    stop ??= why;
    stopper.abort(why.kind === 'interrupted' ? new InterruptedError(why.signal) : new Error(why.kind));
  };
  const recorder = new BulkRecorder(journal, failedFile, (failure: RecordWriteError) =>
    stopWith({ kind: 'record', path: failure.path, code: failure.code }),
  );
  // A backup that cannot be written stops the run (and the file whose entry failed is not cleared).
  if (backup) backup.onFailure = (failure) => stopWith({ kind: 'record', path: failure.path, code: failure.code });
  const input = new BulkInput(source, journalPlan, records.fromLine ?? 1);
  const refusals = new CredentialRefusals(plan.runner.maxAuthFailures ?? DEFAULT_MAX_AUTH_FAILURES);
  const concurrency: ConcurrencyReport = {
    max: plan.runner.concurrency ?? 8,
    lowest: plan.runner.concurrency ?? 8,
    final: plan.runner.concurrency ?? 8,
    decreases: 0,
    increases: 0,
  };
  const progress = startProgress(ctx, {
    total: source.total,
    mode: plan.progress,
    skipped: () => input.skipped + input.before,
  });

  const outcome = (exitCode: number, notFinished?: number): BulkOutcome =>
    outcomeOf({ ctx, plan, source, recorder, input, stop, concurrency, exitCode, notFinished, dryRun });

  /** Set by a second signal, whose handler has written the outcome: the run's own end then says nothing more. */
  let forced = false;
  const interruption = watchInterrupts(
    ctx,
    (signal) => {
      progress.stop();
      ctx.err.line(`${signal}: cancelling the files in flight; no more are started (again to exit at once)`);
      stopWith({ kind: 'interrupted', signal });
    },
    (signal) => {
      // A second signal: written from the recorder's own state, synchronously, then the process ends.
      progress.stop();
      stop = { kind: 'forced', signal };
      forced = true;
      for (const file of recorder.inFlight.values()) failedFile?.line(file.fileId);
      const exitCode = signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
      noteEnd(recorder, outcome(exitCode, recorder.inFlight.size));
      const kept = closeRecords(recorder, backup, stopWith);
      const ending = outcome(exitCode, recorder.inFlight.size);
      printOutcome(ctx, ending, json, source.path === undefined, backupNote(backup, kept, recorder));
    },
  );

  // A backed-up run keeps its requests at --concurrency while more files wait for the disk.
  const gate = backup ? new RequestGate(plan.runner.concurrency ?? DEFAULT_CONCURRENCY) : undefined;
  const stream = streamMany(
    input.items(),
    clearFile(plan.target, session, backup, gate),
    runnerOptions(ctx, plan, { signal: stopper.signal, recorder, input, progress, concurrency, gate }),
  );
  try {
    for await (const result of stream) {
      const cause = recorder.finished(result.index, result);
      // Once stopped, no more per-file lines, and no wait on a reader that may never read again.
      if (!dryRun && !stopper.signal.aborted)
        await untilAborted(report(ctx, json, result, cause, backup !== undefined), stopper.signal);
      if (refusals.see(result.ok ? undefined : result.error, cause ?? '')) {
        stopWith({ kind: 'credential', inARow: refusals.limit, cause: refusals.reached ?? '' });
      }
    }
  } catch (error) {
    if (!(error instanceof InputLineError || error instanceof JournalInputError)) {
      // Not an ending the run knows: what was recorded is still made durable, the lock given back.
      recorder.close();
      backup?.close();
      throw error;
    }
    stop ??= { kind: 'input', message: error.message };
  } finally {
    progress.stop();
    interruption.dispose();
  }

  if (forced) return stop?.kind === 'forced' && stop.signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  noteEnd(recorder, outcome(exitCodeOf(stop, recorder, input, records.allowEmpty)));
  // The records are synced and closed before the exit status is decided: a last write or fsync
  // that fails (a file-size limit, a full disk) stops the run like any other record that fails.
  const backupKept = closeRecords(recorder, backup, stopWith);
  const ending = outcome(exitCodeOf(stop, recorder, input, records.allowEmpty));
  if (ending.failedFile === undefined) failedFile?.discard();
  if (stop?.kind === 'input') ctx.err.line(`error: ${stop.message}; the files before it were run`);
  if (ending.exitCode === EXIT.usage && stop === undefined) {
    ctx.err.line(`error: ${source.name}: no file IDs in it; add --allow-empty to accept that`);
  }
  if (dryRun) session.dryRun?.notice();
  else printOutcome(ctx, ending, json, source.path === undefined, backupNote(backup, backupKept, recorder));
  return ending.exitCode;
}

/**
 * Syncs and closes the journal, the failed-IDs file and the backup; a failure of any of them is a
 * stop (`record`) of the run, said in its summary with the command that resumes it. Returns
 * whether the backup is kept.
 */
function closeRecords(
  recorder: BulkRecorder,
  backup: OracleBackup | undefined,
  stopWith: (why: BulkStop) => void,
): boolean | undefined {
  recorder.close();
  const kept = backup?.close();
  const failure = backup?.closeFailure;
  if (failure !== undefined) stopWith({ kind: 'record', path: failure.path, code: failure.code });
  return kept;
}

/** What the summary says of the backup: its line, and its fields of the --json summary. */
interface BackupNote {
  line: string;
  json: { backup: string | null; cleared: number };
}

function backupNote(backup: OracleBackup | undefined, kept: boolean | undefined, recorder: BulkRecorder): BackupNote {
  if (backup === undefined) return { line: NO_BACKUP_LINE, json: { backup: null, cleared: recorder.counts.succeeded } };
  return {
    line: backup.summaryLine(kept === true),
    json: { backup: kept === true ? backup.path : null, cleared: backup.cleared },
  };
}

/**
 * Waits for `work`, or for `signal` to abort, whichever comes first. The abort listener is removed
 * once `work` settles: racing each file's report against one long-lived "stopped" promise would
 * keep a reaction per file on it until the run ends, memory that grows with the input.
 */
export function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** One finished file, as the operator sees it: a --json line (waiting for the reader), or an error line. */
async function report(
  ctx: CliContext,
  json: boolean,
  result: IndexedResult<ClearOutcome>,
  cause: string | undefined,
  backingUp: boolean,
): Promise<void> {
  if (json) {
    await ctx.out.lineDrained(
      JSON.stringify(
        result.ok
          ? {
              fileId: result.fileId,
              ok: true,
              response: result.response.response,
              ...(backingUp ? { cleared: result.response.cleared } : {}),
            }
          : { fileId: result.fileId, ok: false, cause, error: errorJson(result.error) },
      ),
    );
  } else if (!result.ok && cause !== 'cancelled') {
    await ctx.err.lineDrained(`error: ${printable(result.fileId)}: ${printable(result.error.message)}`);
  }
}

function noteConcurrency(report: ConcurrencyReport, change: ConcurrencyChange): void {
  if (change.reason === 'overload') report.decreases++;
  else report.increases++;
  report.lowest = Math.min(report.lowest, change.concurrency);
  report.final = change.concurrency;
}

function exitCodeOf(stop: BulkStop | undefined, recorder: BulkRecorder, input: BulkInput, allowEmpty: boolean): number {
  if (stop?.kind === 'interrupted' || stop?.kind === 'forced') {
    return stop.signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  }
  if (stop?.kind === 'input') return EXIT.usage;
  if (stop !== undefined) return EXIT.failed;
  const { counts } = recorder;
  // stdin with no ID at all (a file with none was refused before the run).
  if (input.read === 0 && !allowEmpty) return EXIT.usage;
  return counts.failed + counts.cancelled > 0 ? EXIT.failed : EXIT.ok;
}

interface OutcomeParts {
  ctx: CliContext;
  plan: DeletePlan;
  source: FileIdSource;
  recorder: BulkRecorder;
  input: BulkInput;
  stop: BulkStop | undefined;
  concurrency: ConcurrencyReport;
  exitCode: number;
  notFinished: number | undefined;
  dryRun: boolean;
}

function outcomeOf(parts: OutcomeParts): BulkOutcome {
  const { ctx, source, recorder, input, stop } = parts;
  const { records } = parts.plan;
  const { counts } = recorder;
  const failed = counts.failed + counts.cancelled + (parts.notFinished ?? 0);
  const failedFile = recorder.failedFile;
  const keepFailed = failedFile !== undefined && (failed > 0 || records.failedOut !== undefined || stop !== undefined);
  const notRunFrom =
    stop !== undefined && !input.exhausted ? Math.max(recorder.lastStartedLine + 1, records.fromLine ?? 1) : undefined;
  const resume =
    stop !== undefined && recorder.journal !== undefined ? resumeCommand(ctx.deps.argv, ctx.deps.cwd) : undefined;
  const rest =
    stop !== undefined && recorder.journal === undefined && notRunFrom !== undefined && stop.kind !== 'input'
      ? resumeCommand(ctx.deps.argv, ctx.deps.cwd, notRunFrom)
      : undefined;
  const broken = recorder.failure;
  return {
    counts,
    skipped: input.skipped,
    causes: recorder.causes,
    stop,
    notFinished: parts.notFinished,
    notRunFrom,
    inputName: source.name,
    failedFile: keepFailed ? failedFile?.path : undefined,
    // After a stop with a journal, its resume runs the failed and cancelled files again: a re-run too would send them twice.
    rerun:
      keepFailed && failed > 0 && failedFile && resume === undefined
        ? rerunCommand(ctx.deps.argv, failedFile.path)
        : undefined,
    journal: recorder.journal?.path,
    resume,
    rest,
    unrecorded: broken ? { path: broken.path, lines: brokenLines(recorder, broken.path) } : undefined,
    madePrivate: [recorder.journal?.file, failedFile].flatMap((file) =>
      file?.tightened !== undefined ? [{ path: file.path, mode: file.tightened }] : [],
    ),
    concurrency: parts.concurrency,
    exitCode: parts.exitCode,
  };
}

function brokenLines(recorder: BulkRecorder, path: string): string[] {
  const file = recorder.journal?.file.path === path ? recorder.journal.file : recorder.failedFile;
  return file?.unwritten.filter((line) => !line.startsWith('#')) ?? [];
}

/** The last comment lines of the failed-IDs file: how the run ended, and what of the input was not run. */
function noteEnd(recorder: BulkRecorder, outcome: BulkOutcome): void {
  const lines = summaryLines(
    { ...outcome, rerun: undefined, resume: undefined, rest: undefined, unrecorded: undefined },
    false,
  );
  for (const line of lines.filter((text) => !text.startsWith('Failed file IDs') && !text.startsWith('Rate:'))) {
    recorder.note(line);
  }
}

function printOutcome(ctx: CliContext, outcome: BulkOutcome, json: boolean, stdin: boolean, backup: BackupNote): void {
  if (json) {
    const document = summaryJson(outcome) as { summary: Record<string, unknown> };
    const { exitCode, ...rest } = document.summary;
    ctx.out.json({ summary: { ...rest, ...backup.json, exitCode } });
    if (outcome.stop !== undefined) {
      // stdout may be a pipe its reader no longer reads (what made the operator stop the run):
      // the summary, with the command that resumes, is said on stderr too.
      for (const line of outcomeLines(outcome, stdin, backup)) ctx.err.line(line);
      return;
    }
    if (outcome.rerun !== undefined) {
      ctx.err.line(`failed IDs written to ${outcome.failedFile}; re-run with: ${outcome.rerun}`);
    }
    return;
  }
  for (const line of outcomeLines(outcome, stdin, backup)) ctx.out.line(line);
}

/** The summary in words, with the backup's line right after the counts (and the stop and rate lines), before the commands. */
function outcomeLines(outcome: BulkOutcome, stdin: boolean, backup: BackupNote): string[] {
  const lines = summaryLines(outcome, stdin);
  const at = lines.findIndex((line) => /^(Failed file IDs|Re-run|Resume|Run the rest)/.test(line));
  lines.splice(at < 0 ? lines.length : at, 0, backup.line);
  return lines;
}
