/**
 * `metaclear edge-impulse clear-metadata`, as its plan says (clear-plan.ts: made from the flags at
 * the command's edge): see it before it runs (--dry-run: the server's figures), refuse it past a
 * size (--max-affected), and back up every value before it is cleared.
 *
 * With a backup (the default), the run lists the selected samples first and writes those that hold
 * the key, with their values, to the backup (made durable), then clears exactly those samples, by
 * `ids`, a chunk at a time: a sample added or changed to match after the listing is not touched.
 * With --no-backup it is the single filter call it always was.
 */

import { unlinkSync } from 'node:fs';
import { EDGE_IMPULSE_BASE_URL } from '../../edge-impulse/client.js';
import type { SampleFilter } from '../../edge-impulse/filters.js';
import type { ListingChange } from '../../edge-impulse/listing.js';
import { type ClearPreview, previewClearMetadata, selectedPages } from '../../edge-impulse/preview.js';
import { ApiError, type ClearMetadataResult, NetworkError } from '../../index.js';
import { checkOutputPath, freeDefaultName } from '../bulk/output-paths.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { watchInterrupts } from '../interrupt.js';
import { successDocument } from '../terminal/json-output.js';
import { plural, shellQuote } from '../terminal/output.js';
import { type ProgressReporter, startProgress } from '../terminal/progress.js';
import {
  BackupWriter,
  type EdgeImpulseEntry,
  type EdgeImpulseJobLine,
  type EdgeImpulseLostAnswer,
  edgeImpulseEntry,
  openBackup,
  recordedBaseUrl,
} from '../undo/backup-file.js';
import { inChunks } from './chunks.js';
import type { ClearPlan, ClearTarget } from './clear-plan.js';
import { follow, followCommand, type Session } from './session.js';

export const CLEAR = 'edge-impulse clear-metadata';

/** Sample IDs per clear or add call: a JSON list of this many IDs keeps the URL under about 2 kB. */
export const IDS_PER_CALL = 100;

const samplesOf = (target: ClearTarget): string =>
  `${target.category === 'all' ? '' : `${target.category} `}samples of project ${target.projectId}`;

/** The filter without `ids`/`excludeIds`, for a call that selects its samples by `ids`. */
function withoutIds(filter: SampleFilter | undefined): SampleFilter {
  const { ids: _ids, excludeIds: _excludeIds, ...rest } = filter ?? {};
  return rest;
}

function previewLines(ctx: CliContext, target: ClearTarget, preview: ClearPreview): void {
  const key = JSON.stringify(target.metadataKey);
  ctx.out.line(`Preview: metadata key ${key} on the matching ${samplesOf(target)}`);
  ctx.out.line(`  the server counts ${plural(preview.serverCount, 'matching sample')} (countSamples)`);
  ctx.out.line(
    `  ${preview.selected} selected, ${preview.withKey} hold the key: the clear would remove its value from ${plural(preview.withKey, 'sample')}`,
  );
  if (preview.examples.length > 0) {
    ctx.out.line(`  e.g. ${preview.examples.map((s) => `sample ${s.id}: ${JSON.stringify(s.value)}`).join(', ')}`);
  }
  ctx.out.line();
}

/** The guard: refuses the run when more samples than --max-affected hold the key. */
function refuseOverLimit(maxAffected: number | undefined, withKey: number): void {
  if (maxAffected !== undefined && withKey > maxAffected) {
    throw new UsageError(
      `the clear would change ${plural(withKey, 'sample')}, more than --max-affected ${maxAffected}; nothing was cleared`,
    );
  }
}

/** metaclear-backup-edge-impulse-<project>-<UTC time>.jsonl (bulk/output-paths.ts: the default names). */
function defaultBackupName(projectId: number, cwd: string, now: number): string {
  return freeDefaultName(cwd, `backup-edge-impulse-${projectId}`, now, 'jsonl');
}

/** Says on stderr that the listing changed while it was read (samples added or removed meanwhile). */
export const listingChanged =
  (ctx: CliContext) =>
  ({ expected, counted }: ListingChange): void => {
    ctx.err.line(
      `the listing changed while it was read: the server counts ${counted} samples where ${expected} were left to list (samples added or removed meanwhile); those added after the listing are not in this run`,
    );
  };

export const restoreCommand = (path: string): string => `metaclear restore ${shellQuote(path)}`;

/** Runs the plan (planClear) with the session its flags made. */
export async function clearMetadata(ctx: CliContext, plan: ClearPlan, session: Session): Promise<number> {
  const { filter, ...target } = plan.target;
  const interruption = watchInterrupts(ctx, () => undefined);
  try {
    const selection = { ...target, signal: interruption.signal, ...(filter === undefined ? {} : { filter }) };
    if (session.dryRun) {
      return await dryRun(ctx, plan, session, selection);
    }
    if (plan.backup === undefined) {
      if (plan.maxAffected !== undefined) {
        const preview = await previewClearMetadata(session.reader, { ...selection, examples: 0 });
        refuseOverLimit(plan.maxAffected, preview.withKey);
      }
      const result = await session.client.clearMetadataByKey(selection);
      return await reportSingle(ctx, plan, session, result);
    }
    return await backedUp(ctx, plan, plan.backup.path, session, selection);
  } finally {
    interruption.dispose();
  }
}

type Selection = Parameters<typeof selectedPages>[1] & { filter?: SampleFilter };

/** The IDs of the selected samples that hold the key, as the listing reads them. */
async function* keyedIds(session: Session, selection: Selection): AsyncGenerator<number> {
  for await (const page of selectedPages(session.reader, selection)) for (const sample of page.keyed) yield sample.id;
}

async function dryRun(ctx: CliContext, plan: ClearPlan, session: Session, selection: Selection): Promise<number> {
  const dry = session.dryRun;
  if (!dry) throw new Error('dryRun: no dry-run session');
  // A dry run makes the reads the run would make, and prints the changes it would send: with
  // --no-backup (and no --max-affected) the run reads nothing, so neither does its dry run.
  const preview = plan.lists ? await previewClearMetadata(session.reader, selection) : undefined;
  if (preview) {
    if (plan.json) ctx.out.json({ dryRun: true, preview });
    else previewLines(ctx, plan.target, preview);
    refuseOverLimit(plan.maxAffected, preview.withKey);
  }
  if (plan.backup === undefined) {
    await session.client.clearMetadataByKey(selection);
  } else {
    // The calls the run would make: the samples that hold the key, by ids, a chunk at a time.
    for await (const ids of inChunks(keyedIds(session, selection), IDS_PER_CALL)) {
      await session.client.clearMetadataByKey({ ...selection, filter: { ...withoutIds(selection.filter), ids } });
    }
  }
  dry.notice({ reads: preview !== undefined });
  return EXIT.ok;
}

async function reportSingle(
  ctx: CliContext,
  plan: ClearPlan,
  session: Session,
  result: ClearMetadataResult,
): Promise<number> {
  const { target } = plan;
  const what = `metadata key ${JSON.stringify(target.metadataKey)} on the matching ${samplesOf(target)}`;
  if (result.status === 'done') {
    if (plan.json) successDocument(ctx, CLEAR, { status: 'done', backup: null });
    else ctx.out.line(`Cleared ${what} (no backup: --no-backup).`);
    return EXIT.ok;
  }
  ctx.facts.jobId = result.jobId;
  if (!plan.jobs.wait) {
    if (plan.json) successDocument(ctx, CLEAR, { status: 'job', backup: null });
    else {
      ctx.out.line(`Clearing ${what}: the server continues as job ${result.jobId} (no backup: --no-backup).`);
      ctx.out.line(`Follow it with: ${followCommand(target.projectId, result.jobId)}`);
    }
    return EXIT.ok;
  }
  const followed = await follow(ctx, session, target.projectId, result.jobId, plan.jobs);
  if (plan.json) successDocument(ctx, CLEAR, { status: 'job', job: followed.job, backup: null });
  else {
    ctx.out.line(
      `Cleared ${what}: job ${result.jobId} finished successfully (${plural(followed.polls, 'poll')}, ${followed.elapsed}; no backup: --no-backup).`,
    );
  }
  return EXIT.ok;
}

async function backedUp(
  ctx: CliContext,
  plan: ClearPlan,
  backupPath: string | undefined,
  session: Session,
  selection: Selection,
): Promise<number> {
  const { target } = plan;
  const spec = backupPath ?? defaultBackupName(target.projectId, ctx.deps.cwd, ctx.now());
  const path = checkOutputPath('--backup', spec, ctx.deps.cwd, {
    others: [],
    existingAllowed: false,
    existingHint: 'a backup is never overwritten: choose another path',
  });
  const writer = BackupWriter.create<EdgeImpulseEntry | EdgeImpulseJobLine | EdgeImpulseLostAnswer>(path, '--backup', {
    api: 'edge-impulse',
    baseUrl: recordedBaseUrl(session.baseUrl ?? EDGE_IMPULSE_BASE_URL),
    target: { projectId: target.projectId, category: target.category, metadataKey: target.metadataKey },
    created: new Date(ctx.now()).toISOString(),
  });
  let selected = 0;
  let listed = false;
  /** The listing's progress, started at its first page (which says how many the server counts). */
  let progress: ProgressReporter | undefined;
  let read = 0;
  try {
    for await (const page of selectedPages(session.reader, { ...selection, onChange: listingChanged(ctx) })) {
      progress ??= startProgress(ctx, { total: page.left, mode: plan.jobs.progress, noun: 'samples listed' });
      read += page.listed;
      selected += page.selected;
      for (const sample of page.keyed) writer.add(sample);
      progress.update({ done: read, failed: 0 });
    }
    // On disk before anything it holds is cleared.
    writer.sync();
    listed = true;
  } finally {
    progress?.stop();
    if (!listed) {
      // A listing that did not end backs up nothing that will be cleared: it is not kept.
      writer.close();
      unlinkSync(path);
    }
  }
  const withKey = writer.entries;
  if (withKey === 0 || (plan.maxAffected !== undefined && withKey > plan.maxAffected)) {
    writer.close();
    unlinkSync(path);
  }
  refuseOverLimit(plan.maxAffected, withKey);
  const key = JSON.stringify(target.metadataKey);
  if (withKey === 0) {
    if (plan.json) successDocument(ctx, CLEAR, { status: 'done', selected, cleared: 0, backup: null, jobIds: [] });
    else
      ctx.out.line(`None of the ${plural(selected, 'selected sample')} holds metadata key ${key}: nothing to clear.`);
    return EXIT.ok;
  }
  ctx.facts.backup = path;
  ctx.facts.restore = restoreCommand(path);
  const jobIds: number[] = [];
  /** A clear call failed without an answer that says it was not done. */
  let lostAnswer = false;
  let cleared = 0;
  let calls = 0;
  try {
    const backup = await openBackup(path);
    // The entries the listing wrote (the job lines this run appends after them are not read).
    const ids = (async function* () {
      let read = 0;
      for await (const { entry, line } of backup.entries()) {
        if (read++ === withKey) return;
        yield edgeImpulseEntry(path, entry, line).id;
      }
    })();
    for await (const chunk of inChunks(ids, IDS_PER_CALL)) {
      let result: ClearMetadataResult;
      try {
        // Sent once: a call sent again after its answer was lost may start a second job, which
        // the backup could not name (the first one's ID was in the lost answer).
        result = await session.client.clearMetadataByKey({
          ...selection,
          filter: { ...withoutIds(selection.filter), ids: chunk },
          retry: false,
        });
      } catch (error) {
        if (!notDone(error)) {
          lostAnswer = true;
          writer.add({ lostAnswer: { samples: chunk.length } });
          writer.sync();
        }
        throw error;
      }
      calls++;
      cleared += chunk.length;
      if (result.status === 'job') {
        jobIds.push(result.jobId);
        // Durable before anything else: a restore waits for the job before it reads a value.
        writer.add({ jobId: result.jobId });
        writer.sync();
        if (plan.jobs.wait) await follow(ctx, session, target.projectId, result.jobId, plan.jobs);
        else if (!plan.json)
          ctx.err.line(`the server continues as job ${result.jobId}: ${followCommand(target.projectId, result.jobId)}`);
      }
    }
    writer.close();
  } catch (error) {
    try {
      writer.close();
    } catch {
      // The run's own error says more; the backup's entries were made durable before the clear.
    }
    if (lostAnswer) {
      ctx.err.line(
        `the answer to a clear call was lost: the server may have started a job this backup cannot name, which would clear what a restore puts back; once no job of project ${target.projectId} runs (Edge Impulse Studio, Jobs), put the values back with: ${restoreCommand(path)} --lost-jobs-ended`,
      );
    }
    ctx.err.line(
      `${cleared} of the ${withKey} samples that hold the key were cleared (or handed to a job) before this; the backup ${path} holds the values of all ${withKey}: put them back with: ${restoreCommand(path)}${lostAnswer ? ' --lost-jobs-ended (once those jobs ended)' : ''}`,
    );
    throw error;
  }
  if (plan.json) {
    successDocument(ctx, CLEAR, { status: jobIds.length > 0 ? 'job' : 'done', selected, cleared, calls, jobIds });
    return EXIT.ok;
  }
  const pending = jobIds.length > 0 && !plan.jobs.wait;
  ctx.out.line(
    `${pending ? 'Clearing' : 'Cleared'} metadata key ${key} on ${withKey} of ${selected} selected ${samplesOf(target)}${withKey < selected ? ' (the others do not hold it)' : ''}, in ${plural(calls, 'call')}${pending ? `; the server continues as ${jobIds.length === 1 ? 'job' : 'jobs'} ${jobIds.join(', ')}` : ''}.`,
  );
  ctx.out.line(`Backup: ${path} (${plural(withKey, 'value')}). Undo with: ${restoreCommand(path)}`);
  return EXIT.ok;
}

/**
 * Whether a failed clear call was certainly not done: the server answered it with a refusal (a
 * 4xx other than 408), or no connection was made. Anything else (a reset, a timeout, a 5xx, an
 * answer that could not be read) may follow a call the server did.
 */
function notDone(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 400 && error.status < 500 && error.status !== 408;
  return error instanceof NetworkError && error.code === 'ECONNREFUSED';
}
