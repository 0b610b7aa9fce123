/**
 * The preview of a bulk `oracle delete-metadata` run, from the vendor's own read (Get File Metadata
 * Collection, directAssigned=1): with --dry-run, each file's own values of the named fields and the
 * DELETE the run would send for it (printed, not sent), then the totals; with --max-affected, a
 * read pass over the whole input before anything is cleared, which refuses the run when more files
 * would change. Both stream: nothing is kept per file.
 */
import { ApiError } from '../../index.js';
import { streamMany } from '../../oracle-documents/many.js';
import {
  type DeletePreview,
  type OwnValues,
  previewDeleteFileMetadataValues,
  readOwnValues,
} from '../../oracle-documents/values.js';
import { openFileIds } from '../bulk/file-ids.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { errorJson } from '../terminal/json-output.js';
import { plural } from '../terminal/output.js';
import { printable } from '../terminal/printable.js';
import type { DeletePlan, DeleteTarget } from './delete-plan.js';
import type { OracleSession } from './session.js';

/** A file's own values in words: `A1 "x", A2 "y"`. */
export const valuesText = (values: OwnValues): string =>
  Object.entries(values)
    .map(([field, value]) => `${field} ${JSON.stringify(value)}`)
    .join(', ');

const fieldsText = (target: DeleteTarget): string =>
  `${target.fields.join(', ')} in collection ${JSON.stringify(target.collection)}`;

/** The reads' concurrency and rate: the run's own. */
const readPace = ({ runner }: DeletePlan): { concurrency?: number; maxRatePerSecond?: number } => ({
  ...(runner.concurrency !== undefined ? { concurrency: runner.concurrency } : {}),
  ...(runner.maxRate !== undefined ? { maxRatePerSecond: runner.maxRate } : {}),
});

/** Refuses (exit 2, nothing cleared) a run that would change more files than --max-affected. */
export function refuseOverLimit(maxAffected: number | undefined, withValues: number): void {
  if (maxAffected !== undefined && withValues > maxAffected) {
    throw new UsageError(
      `the run would change ${plural(withValues, 'file')}, more than --max-affected ${maxAffected}; nothing was cleared`,
    );
  }
}

/** The IDs of the input the run would take (not skipped), read again from the start. */
async function* idsOf(
  ctx: CliContext,
  spec: string,
  skip: (n: number, id: string, line: number) => boolean,
): AsyncGenerator<string> {
  const source = await openFileIds(spec, ctx.deps.cwd, ctx.deps.stdin);
  let n = 0;
  for await (const { id, line } of source.ids) if (!skip(++n, id, line)) yield id;
}

/**
 * --max-affected on a real run: reads every file first and counts those with a value of their own
 * in the fields; refuses the run when they are more than the limit. A file that does not exist
 * (404) would change nothing; a file that cannot be read otherwise makes the count inexact, and
 * the run is refused with exit status 1 rather than guessed at.
 */
export async function checkMaxAffected(
  ctx: CliContext,
  plan: DeletePlan,
  session: OracleSession,
  spec: string,
  /** Whether the run skips the n-th ID (done per the journal, or before --from-line). */
  skip: (n: number, id: string, line: number) => boolean,
  signal: AbortSignal,
): Promise<void> {
  if (plan.maxAffected === undefined) return;
  if (spec === '-') {
    throw new UsageError(
      '--max-affected reads every file before the first clear, so it needs --files-from <path> (stdin cannot be read twice)',
    );
  }
  let unreadable = 0;
  let firstError: string | undefined;
  const preview = await previewDeleteFileMetadataValues(
    session.reader,
    idsOf(ctx, spec, skip),
    {
      collection: plan.target.collection,
      fields: plan.target.fields,
      ...(session.appLink ? { appLink: session.appLink } : {}),
    },
    {
      ...readPace(plan),
      adaptive: true,
      signal,
      onError: (fileId, error) => {
        if (error instanceof ApiError && error.status === 404) return;
        unreadable++;
        firstError ??= `${fileId}: ${error.message}`;
      },
    },
  );
  signal.throwIfAborted();
  if (unreadable > 0) {
    throw new Error(
      `--max-affected: ${plural(unreadable, 'file')} could not be read (${firstError}), so the files the run would change cannot be counted; nothing was cleared`,
    );
  }
  refuseOverLimit(plan.maxAffected, preview.withValues);
  if (plan.verbose) {
    ctx.err.line(
      `--max-affected ${plan.maxAffected}: ${plural(preview.withValues, 'file')} of ${preview.files} read would change`,
    );
  }
}

/**
 * --dry-run of a run with a backup: the reads are sent (each file's own values, printed), the
 * DELETEs are printed and not sent, then the totals; --max-affected is applied to them.
 */
export async function previewRun(
  ctx: CliContext,
  plan: DeletePlan,
  session: OracleSession,
  spec: string,
  signal: AbortSignal,
  /** With a backup, the DELETE names only the fields that hold a value; with --no-backup, every field, on every file. */
  narrow: boolean,
): Promise<number> {
  const { json, target } = plan;
  const preview: DeletePreview = { files: 0, withValues: 0, values: 0, failed: 0 };
  const source = await openFileIds(spec, ctx.deps.cwd, ctx.deps.stdin);
  if (source.total === 0 && !plan.records.allowEmpty) {
    throw new UsageError(
      `${source.name}: no file IDs in it (only blank lines and # comments); add --allow-empty to accept that`,
    );
  }
  if (!json)
    ctx.out.line(
      `Preview: the values of ${fieldsText(target)} on each file of ${source.name} (its own: directAssigned=1)`,
    );
  const ids = (async function* () {
    for await (const { id } of source.ids) yield { fileId: id };
  })();
  const appLink = session.appLink ? { appLink: session.appLink } : {};
  const results = streamMany(
    ids,
    async ({ fileId }, callSignal) => {
      const values = await readOwnValues(session.reader, {
        fileId,
        collection: target.collection,
        fields: target.fields,
        signal: callSignal,
        ...appLink,
      });
      const fields = Object.keys(values);
      if (json) ctx.out.json({ dryRun: true, fileId, values });
      else
        ctx.out.line(
          printable(
            fields.length > 0
              ? `  ${fileId}: ${valuesText(values)}`
              : `  ${fileId}: no value of its own in these fields`,
          ),
        );
      if (fields.length > 0 || !narrow) {
        await session.client.deleteFileMetadataValues({
          fileId,
          collection: target.collection,
          fields: narrow ? fields : target.fields,
          signal: callSignal,
          ...appLink,
        });
      }
      return values;
    },
    { ...readPace(plan), adaptive: true, signal },
  );
  for await (const result of results) {
    if (!result.ok) {
      preview.failed++;
      if (json) ctx.out.json({ dryRun: true, fileId: result.fileId, error: errorJson(result.error) });
      else ctx.out.line(`  ${printable(result.fileId)}: cannot be read: ${printable(result.error.message)}`);
      continue;
    }
    preview.files++;
    const n = Object.keys(result.response).length;
    if (n > 0) preview.withValues++;
    preview.values += n;
  }
  signal.throwIfAborted();
  if (json) ctx.out.json({ dryRun: true, preview });
  else {
    ctx.out.line(
      `${plural(preview.files, 'file')} read, ${preview.withValues} with a value of their own in these fields: the run would remove ${plural(preview.values, 'value')} from ${plural(preview.withValues, 'file')}${preview.failed > 0 ? `; ${plural(preview.failed, 'file')} could not be read` : ''}.`,
    );
  }
  session.dryRun?.notice({ reads: true });
  refuseOverLimit(plan.maxAffected, preview.withValues);
  return preview.failed > 0 ? EXIT.failed : EXIT.ok;
}
