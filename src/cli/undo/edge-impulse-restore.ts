/**
 * `metaclear restore <backup>` for an Edge Impulse backup (also `metaclear edge-impulse restore`):
 * puts back the values a clear-metadata run backed up, with batchAddMetadata, one call per distinct
 * value (per 100 samples of it, and per chunk of 10,000 entries of the backup), selected by `ids`.
 *
 * First the jobs the clear started (the backup's job lines) are waited for: until they end, what a
 * sample holds says nothing (a job still running clears it later). With --no-wait the restore
 * refuses instead (exit 75), naming them. Then, a chunk of the backup at a time, it reads what the
 * chunk's samples hold now (listSamples by their ID range: nothing of the project's other samples is
 * held), sets back those that lost their value, waits for the jobs its own calls start, and reads
 * the chunk back: the counts it reports are the ones it read. A sample whose key holds another value
 * now was changed since the backup: left alone unless --force. Changed, missing and not restored
 * samples are listed, and end the run with exit 3 (changed, missing) or 1 (not restored: a call or
 * job failed). It is idempotent: running it again finishes what an interrupt or a failure left.
 */
import type { SampleCategory } from '../../edge-impulse/filters.js';
import { JobFailedError } from '../../index.js';
import type { CliContext } from '../context.js';
import { IDS_PER_CALL } from '../edge-impulse/clear.js';
import { type FollowOptions, follow, type Session } from '../edge-impulse/session.js';
import { EXIT, restoreExitCode } from '../exit-codes.js';
import { watchInterrupts } from '../interrupt.js';
import { plural } from '../terminal/output.js';
import { type ProgressReporter, startProgress } from '../terminal/progress.js';
import {
  type EdgeImpulseEntry,
  edgeImpulseEntry,
  edgeImpulseJobLine,
  isEdgeImpulseLostAnswer,
  type OpenedBackup,
} from './backup-file.js';
import { type CurrentInput, currentOf } from './edge-impulse-current.js';
import type { EdgeImpulseRestoreSettings } from './edge-impulse-restore-settings.js';

export const RESTORE = 'edge-impulse restore';

/** Backup entries restored at once: what the restore holds (their IDs, values and what they hold now). */
export const CHUNK_ENTRIES = 10_000;
/** batchAddMetadata calls sent at once. */
const CALLS_IN_FLIGHT = 4;
/** Entries left undone that the --json document lists one by one; beyond, it counts them. */
const UNDONE_LISTED = 1000;

export interface RestoreCounts {
  /** Entries in the backup. */
  entries: number;
  /** Set back by this run, and read back holding their backed-up value. */
  restored: number;
  /** Held their backed-up value already (restored before, or never cleared), read back so. */
  unchanged: number;
  /** Hold another value now: left alone (without --force). */
  changed: number;
  /** No longer exist in the project. */
  missing: number;
  /** Set back by this run, yet read back without their value: a call or a job failed. */
  failed: number;
  /** batchAddMetadata calls. */
  calls: number;
}

type Outcome = 'changed' | 'missing' | 'failed';

export interface UndoneEntry {
  id: number;
  value: string;
  outcome: Outcome;
  /** changed: what the sample holds now (null: no value). */
  current?: string | null;
}

type Decision = 'restore' | 'unchanged' | 'changed' | 'missing';
interface Planned extends EdgeImpulseEntry {
  decision: Decision;
  before: string | null | undefined;
}

/** The jobs the clear started, from the backup's job lines (one per clear call, not per sample), and the number of its sample entries. */
async function clearJobsOf(backup: OpenedBackup): Promise<{ jobs: number[]; entries: number; lostAnswers: number }> {
  const jobs: number[] = [];
  let entries = 0;
  let lostAnswers = 0;
  for await (const { entry, line } of backup.entries()) {
    const job = edgeImpulseJobLine(backup.path, entry, line);
    if (job) jobs.push(job.jobId);
    else if (isEdgeImpulseLostAnswer(entry)) lostAnswers++;
    else entries++;
  }
  return { jobs, entries, lostAnswers };
}

/** The backup's sample entries, CHUNK_ENTRIES at a time. */
async function* chunksOf(backup: OpenedBackup): AsyncGenerator<EdgeImpulseEntry[]> {
  let chunk: EdgeImpulseEntry[] = [];
  for await (const { entry, line } of backup.entries()) {
    if (edgeImpulseJobLine(backup.path, entry, line) || isEdgeImpulseLostAnswer(entry)) continue;
    chunk.push(edgeImpulseEntry(backup.path, entry, line));
    if (chunk.length === CHUNK_ENTRIES) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Waits for the clear's jobs (progress on stderr), with the reads only (also under --dry-run). A job
 * that failed changed what it changed: the restore reads what the samples hold now, so it goes on.
 * Returns the jobs still running when --no-wait says not to wait.
 */
async function settleClearJobs(
  ctx: CliContext,
  session: Session,
  projectId: number,
  jobs: readonly number[],
  settings: EdgeImpulseRestoreSettings,
  signal: AbortSignal,
): Promise<number[]> {
  if (!settings.waitForClearJobs) {
    const pending: number[] = [];
    for (const jobId of jobs) {
      const job = await session.reader.getJobStatus({ projectId, jobId, signal });
      if (job.finished === undefined) pending.push(jobId);
    }
    return pending;
  }
  if (jobs.length > 0) {
    ctx.err.line(
      `the clear started ${jobs.length === 1 ? 'job' : 'jobs'} ${jobs.join(', ')}: waiting for ${jobs.length === 1 ? 'it' : 'them'} to end before reading any value`,
    );
  }
  for (const jobId of jobs) {
    try {
      await follow(ctx, { ...session, client: session.reader }, projectId, jobId, settings.follow);
    } catch (error) {
      if (!(error instanceof JobFailedError)) throw error;
      ctx.err.line(
        `job ${jobId} of the clear failed (${error.job.additionalInfo ?? 'no reason given'}); the restore reads what its samples hold now`,
      );
    }
  }
  return [];
}

/**
 * The restore the settings say, through the session (connected to the settings' API root, its own
 * jobs always followed). Its outcome is the exit status.
 */
export async function restoreEdgeImpulse(
  ctx: CliContext,
  settings: EdgeImpulseRestoreSettings,
  session: Session,
): Promise<number> {
  const { backup, header, json } = settings;
  const { projectId, metadataKey } = header.target;
  const category = header.target.category as SampleCategory;
  const interruption = watchInterrupts(ctx, () => undefined);
  const counts: RestoreCounts = { entries: 0, restored: 0, unchanged: 0, changed: 0, missing: 0, failed: 0, calls: 0 };
  const jobIds: number[] = [];
  const undone: UndoneEntry[] = [];
  let undoneNotListed = 0;
  const leave = (entry: EdgeImpulseEntry, outcome: Outcome, current?: string | null) => {
    counts[outcome]++;
    const listed: UndoneEntry = {
      id: entry.id,
      value: entry.value,
      outcome,
      ...(outcome === 'changed' ? { current: current ?? null } : {}),
    };
    if (json) {
      if (undone.length < UNDONE_LISTED) undone.push(listed);
      else undoneNotListed++;
    } else ctx.err.line(`  ${describeUndone(listed)}`);
  };
  const read: CurrentInput = {
    reader: session.reader,
    projectId,
    category,
    metadataKey,
    signal: interruption.signal,
  };
  let progress: ProgressReporter | undefined;
  try {
    const { jobs, entries, lostAnswers } = await clearJobsOf(backup);
    if (lostAnswers > 0 && !settings.lostJobsEnded) return refuseLostAnswers(ctx, json, projectId, lostAnswers);
    const pending = await settleClearJobs(ctx, session, projectId, jobs, settings, interruption.signal);
    if (pending.length > 0) return refusePending(ctx, json, pending);
    // The entries settled so far (restored, left or failed), chunk by chunk.
    progress = startProgress(ctx, {
      total: entries,
      mode: settings.dryRun ? 'none' : settings.progress,
      noun: 'entries',
    });
    for await (const chunk of chunksOf(backup)) {
      counts.entries += chunk.length;
      const planned = plan(
        chunk,
        await currentOf(
          read,
          chunk.map((e) => e.id),
        ),
        settings.force,
      );
      const sent = await send(
        ctx,
        session,
        projectId,
        metadataKey,
        category,
        planned,
        counts,
        jobIds,
        settings.follow,
        interruption.signal,
      );
      // Read back the samples it set (a dry run sets nothing: it reports what it would do); the
      // others are reported as the first read saw them.
      const sentIds = planned.filter((e) => e.decision === 'restore').map((e) => e.id);
      const after = sent > 0 && !settings.dryRun ? await currentOf(read, sentIds) : undefined;
      for (const entry of planned) {
        if (after === undefined || entry.decision !== 'restore') {
          if (entry.decision === 'restore') counts.restored++;
          else if (entry.decision === 'unchanged') counts.unchanged++;
          else leave(entry, entry.decision, entry.before);
          continue;
        }
        const now = after.get(entry.id);
        if (!after.has(entry.id)) leave(entry, 'missing');
        else if (now === entry.value) counts.restored++;
        else if (now === null) leave(entry, 'failed');
        else leave(entry, 'changed', now);
      }
      progress.update({ done: counts.entries, failed: counts.failed });
    }
  } catch (error) {
    progress?.stop();
    if (counts.calls > 0) {
      ctx.err.line(
        `${plural(counts.calls, 'call')} made before this; run the same command again to restore the rest (what is restored already is left as it is)`,
      );
    }
    throw error;
  } finally {
    progress?.stop();
    interruption.dispose();
  }
  const exitCode = restoreExitCode(counts);
  if (settings.dryRun) {
    if (json) ctx.out.json({ dryRun: true, restore: counts, undone });
    else ctx.out.line(describe(counts, backup.path, true));
    session.dryRun?.notice({ reads: true });
    // As the Oracle restore's: a dry run that finds entries it would leave undone ends with 3.
    return exitCode;
  }
  if (json) {
    ctx.out.json({
      command: RESTORE,
      ok: exitCode === EXIT.ok,
      exitCode,
      ...ctx.facts,
      ...counts,
      jobIds,
      undone,
      ...(undoneNotListed > 0 ? { undoneNotListed } : {}),
      ...(exitCode === EXIT.ok
        ? {}
        : { error: { name: 'RestoreIncompleteError', message: describe(counts, backup.path, false) } }),
    });
  } else {
    ctx.out.line(describe(counts, backup.path, false));
    if (exitCode !== EXIT.ok) {
      ctx.out.line(
        counts.failed > 0
          ? 'Run the same command again to put back what failed (what is restored already is left as it is).'
          : 'The samples listed above were left as they are: look at them (--force overwrites those changed since the backup).',
      );
    }
  }
  return exitCode;
}

/** What to do with each entry, from what its sample holds now. */
function plan(chunk: readonly EdgeImpulseEntry[], now: Map<number, string | null>, force: boolean): Planned[] {
  return chunk.map((entry) => {
    const before = now.get(entry.id);
    let decision: Decision;
    if (!now.has(entry.id)) decision = 'missing';
    else if (before === entry.value) decision = 'unchanged';
    else if (before !== null && !force) decision = 'changed';
    else {
      decision = 'restore';
      // Set once: an ID backed up twice is not sent twice.
      now.set(entry.id, entry.value);
    }
    return { ...entry, decision, before };
  });
}

/**
 * Sends the chunk's restores, one call per value per IDS_PER_CALL samples, CALLS_IN_FLIGHT at a
 * time; then follows the jobs they started, one after the other (the server runs them meanwhile).
 * Returns the calls made.
 */
async function send(
  ctx: CliContext,
  session: Session,
  projectId: number,
  metadataKey: string,
  category: SampleCategory,
  planned: readonly Planned[],
  counts: RestoreCounts,
  jobIds: number[],
  followOptions: FollowOptions,
  signal: AbortSignal,
): Promise<number> {
  const byValue = new Map<string, number[]>();
  for (const entry of planned) {
    if (entry.decision !== 'restore') continue;
    const ids = byValue.get(entry.value);
    if (ids) ids.push(entry.id);
    else byValue.set(entry.value, [entry.id]);
  }
  const calls = (function* () {
    for (const [metadataValue, ids] of byValue) {
      for (let at = 0; at < ids.length; at += IDS_PER_CALL)
        yield { metadataValue, ids: ids.slice(at, at + IDS_PER_CALL) };
    }
  })();
  const started: number[] = [];
  let made = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    for (const { metadataValue, ids } of calls) {
      if (failure) return;
      try {
        const result = await session.client.addMetadata({
          projectId,
          category,
          metadataKey,
          metadataValue,
          filter: { ids },
          signal,
        });
        made++;
        counts.calls++;
        if (result.status === 'job') started.push(result.jobId);
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: CALLS_IN_FLIGHT }, worker));
  jobIds.push(...started);
  // The jobs of the calls answered are followed even when another call failed: what they change
  // must be over before the operator runs the restore again.
  for (const jobId of started) {
    try {
      await follow(ctx, session, projectId, jobId, followOptions);
    } catch (error) {
      // Its samples are read back, and counted as not restored.
      if (!(error instanceof JobFailedError)) throw error;
      ctx.err.line(`job ${jobId} failed (${error.job.additionalInfo ?? 'no reason given'})`);
    }
  }
  if (failure) throw failure.error;
  return made;
}

function refusePending(ctx: CliContext, json: boolean, pending: readonly number[]): number {
  const message = `${pending.length === 1 ? 'job' : 'jobs'} ${pending.join(', ')} of the clear ${pending.length === 1 ? 'has' : 'have'} not finished: until ${pending.length === 1 ? 'it ends' : 'they end'}, a restore could be undone by ${pending.length === 1 ? 'it' : 'them'}; nothing was restored (--no-wait). Run it again later, or without --no-wait to wait`;
  ctx.err.line(`metaclear: ${message}`);
  if (json) {
    ctx.out.json({
      command: RESTORE,
      ok: false,
      exitCode: EXIT.pending,
      ...ctx.facts,
      pendingJobIds: pending,
      error: { name: 'JobsPendingError', message },
    });
  }
  return EXIT.pending;
}

/**
 * The clear lost the answer to a call that may have started a job no line of the backup names: a
 * restore could be undone by it, and this restore cannot wait for it. The operator, who can see the
 * project's jobs, says when they have ended (--lost-jobs-ended).
 */
function refuseLostAnswers(ctx: CliContext, json: boolean, projectId: number, lost: number): number {
  const message = `${lost === 1 ? 'a clear call' : `${lost} clear calls`} of this backup lost ${lost === 1 ? 'its answer' : 'their answers'}: the server may have started a job no line names, which would clear what a restore puts back; nothing was restored. Once no job of project ${projectId} runs (Edge Impulse Studio, Jobs), run the restore again with --lost-jobs-ended`;
  ctx.err.line(`metaclear: ${message}`);
  if (json) {
    ctx.out.json({
      command: RESTORE,
      ok: false,
      exitCode: EXIT.pending,
      ...ctx.facts,
      pendingJobIds: [],
      error: { name: 'JobsPendingError', message },
    });
  }
  return EXIT.pending;
}

function describeUndone(entry: UndoneEntry): string {
  if (entry.outcome === 'missing') return `sample ${entry.id}: no longer exists`;
  if (entry.outcome === 'failed')
    return `sample ${entry.id}: not restored (read back without its value ${JSON.stringify(entry.value)})`;
  const now = entry.current === null || entry.current === undefined ? 'no value' : JSON.stringify(entry.current);
  return `sample ${entry.id}: changed since the backup (now ${now}), left as it is (--force overwrites it)`;
}

function describe(counts: RestoreCounts, path: string, dryRun: boolean): string {
  const head = `${dryRun ? 'Would restore' : 'Restored'} ${plural(counts.restored, 'sample')} of ${plural(counts.entries, 'entry', 'entries')} in ${path} (${plural(counts.calls, 'call')})`;
  const held = counts.restored + counts.unchanged;
  const parts = dryRun
    ? [head, ...(counts.unchanged > 0 ? [`${counts.unchanged} hold the backed-up value already`] : [])]
    : [
        `${head}; read back: ${held} ${held === 1 ? 'holds its' : 'hold their'} backed-up value${counts.unchanged > 0 && counts.restored > 0 ? ` (${counts.unchanged} held it already)` : ''}`,
      ];
  if (counts.changed > 0)
    parts.push(`${counts.changed} changed since the backup, left as they are (--force overwrites them)`);
  if (counts.missing > 0) parts.push(`${counts.missing} no longer exist`);
  if (counts.failed > 0) parts.push(`${counts.failed} not restored (a call or a job failed)`);
  return `${parts.join('; ')}.`;
}
