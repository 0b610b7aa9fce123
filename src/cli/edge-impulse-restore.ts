/**
 * `metaclear restore <backup>` for an Edge Impulse backup (also `metaclear edge-impulse restore`):
 * puts back the values a clear-metadata run backed up, with batchAddMetadata, one call per distinct
 * value (per 100 samples of it, and per 10,000 entries of the backup), selected by `ids`.
 *
 * Before it sets anything it reads the category's samples as they are now (listSamples), so that
 * it is idempotent and resumable: a sample that holds its backed-up value already is left alone
 * (running it again after an interrupt or a failure finishes the job); a sample whose key has
 * another value now was changed since the backup and is left alone unless --force; a sample that
 * no longer exists is counted. The summary counts each.
 */
import type { Command } from 'commander';
import type { SampleCategory } from '../edge-impulse/filters.js';
import { selectedPages } from '../edge-impulse/preview.js';
import { edgeImpulseEntry, type OpenedBackup } from './backup-file.js';
import { inGroups } from './chunks.js';
import type { CliContext } from './context.js';
import { IDS_PER_CALL } from './edge-impulse-clear.js';
import { connect, follow, type Session, type SessionFlags } from './edge-impulse-session.js';
import { EXIT } from './exit-codes.js';
import { watchInterrupts } from './interrupt.js';
import { successDocument } from './json-output.js';
import { plural } from './output.js';
import { restoreRoot } from './restore.js';

export const RESTORE = 'edge-impulse restore';

/** Backup entries waiting to be set back at once, grouped by value: what the restore holds beyond the current values. */
const PENDING_ENTRIES = 10_000;

export type RestoreFlags = SessionFlags & { force?: true };

export interface RestoreCounts {
  /** Entries in the backup. */
  entries: number;
  /** Set back to their backed-up value by this run. */
  restored: number;
  /** Held their backed-up value already (restored before, or never cleared). */
  unchanged: number;
  /** Hold another value now: left alone (without --force). */
  changed: number;
  /** No longer exist in the project. */
  missing: number;
  /** batchAddMetadata calls. */
  calls: number;
}

/** The samples of the category as they are now: every ID, and the value of the key where it is held. */
async function currentValues(
  session: Session,
  projectId: number,
  category: SampleCategory,
  metadataKey: string,
  signal: AbortSignal,
): Promise<{ ids: Set<number>; values: Map<number, string> }> {
  const ids = new Set<number>();
  const values = new Map<number, string>();
  // Listed without the clear's filter: a restored sample may no longer match it.
  for await (const page of selectedPages(session.reader, {
    projectId,
    category,
    metadataKey,
    signal,
    pageSize: 1000,
  })) {
    for (const sample of page.keyed) values.set(sample.id, sample.value);
    for (const id of page.ids) ids.add(id);
  }
  return { ids, values };
}

export async function restoreEdgeImpulse(
  ctx: CliContext,
  backup: OpenedBackup,
  flags: RestoreFlags,
  command: Command,
): Promise<number> {
  const header = backup.header;
  if (header.api !== 'edge-impulse') throw new Error('restoreEdgeImpulse: not an Edge Impulse backup');
  const { projectId, metadataKey } = header.target;
  const category = header.target.category as SampleCategory;
  Object.assign(ctx.facts, { backup: backup.path, projectId, category, metadataKey });
  // The root the operator gave (flag, variable or the client's default), only if it is the backup's.
  const baseUrl = restoreRoot(backup, flags.baseUrl, {
    flag: '--base-url',
    env: 'EDGE_IMPULSE_BASE_URL',
    source: command.getOptionValueSource('baseUrl'),
  });
  // Jobs are always followed: a restore is done when its values are back.
  const session = connect(ctx, { ...flags, wait: true }, command, baseUrl);
  const interruption = watchInterrupts(ctx, () => undefined);
  const counts: RestoreCounts = { entries: 0, restored: 0, unchanged: 0, changed: 0, missing: 0, calls: 0 };
  try {
    const now = await currentValues(session, projectId, category, metadataKey, interruption.signal);
    /** The entries to set back: read, counted, and those left alone left out. */
    const toRestore = async function* () {
      for await (const { entry, line } of backup.entries()) {
        const { id, value } = edgeImpulseEntry(backup.path, entry, line);
        counts.entries++;
        const current = now.values.get(id);
        if (!now.ids.has(id)) counts.missing++;
        else if (current === value) counts.unchanged++;
        else if (current !== undefined && !flags.force) counts.changed++;
        else {
          // Set once: an ID backed up twice (a listing that repeated it) is not sent twice.
          now.values.set(id, value);
          yield { id, value };
        }
      }
    };
    // One call per distinct value, selecting its samples by ids: grouped across the backup (at most
    // PENDING_ENTRIES waiting at once), not within chunks of it, so interleaved values do not
    // split into calls of a few IDs each.
    for await (const { key: metadataValue, items } of inGroups(
      toRestore(),
      (entry) => entry.value,
      (entry) => entry.id,
      IDS_PER_CALL,
      PENDING_ENTRIES,
    )) {
      const ids = items.map((entry) => entry.id);
      const result = await session.client.addMetadata({
        projectId,
        category,
        metadataKey,
        metadataValue,
        filter: { ids },
        signal: interruption.signal,
      });
      counts.calls++;
      if (result.status === 'job')
        await follow(ctx, session, projectId, result.jobId, { wait: true, ...timeout(flags) });
      counts.restored += ids.length;
    }
  } catch (error) {
    if (counts.restored > 0 || counts.calls > 0) {
      ctx.err.line(
        `${plural(counts.restored, 'sample')} restored before this; run the same command again to restore the rest (what is restored already is left as it is)`,
      );
    }
    throw error;
  } finally {
    interruption.dispose();
  }
  if (session.dryRun) {
    if (flags.json) ctx.out.json({ dryRun: true, restore: counts });
    else ctx.out.line(describe(counts, backup.path, true));
    session.dryRun.notice({ reads: true });
    return EXIT.ok;
  }
  if (flags.json) successDocument(ctx, RESTORE, { ...counts });
  else ctx.out.line(describe(counts, backup.path, false));
  return EXIT.ok;
}

const timeout = (flags: RestoreFlags) => (flags.timeout !== undefined ? { timeout: flags.timeout } : {});

function describe(counts: RestoreCounts, path: string, dryRun: boolean): string {
  const parts = [
    `${dryRun ? 'Would restore' : 'Restored'} ${plural(counts.restored, 'sample')} of ${plural(counts.entries, 'entry', 'entries')} in ${path} (${plural(counts.calls, 'call')})`,
  ];
  if (counts.unchanged > 0) parts.push(`${counts.unchanged} held the backed-up value already`);
  if (counts.changed > 0)
    parts.push(`${counts.changed} changed since the backup, left as they are (--force overwrites them)`);
  if (counts.missing > 0) parts.push(`${counts.missing} no longer exist`);
  return `${parts.join('; ')}.`;
}
