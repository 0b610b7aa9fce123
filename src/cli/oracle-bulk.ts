/**
 * Bulk mode of `oracle delete-metadata`: file IDs read lazily from a file or stdin, run through the
 * facade's deleteFileMetadataValuesMany; a progress bar on a terminal; then the results (JSON
 * lines with --json), a summary by cause, and the failed-IDs file with the command to re-run it.
 */
import { STATUS_CODES } from 'node:http';
import type { Command } from 'commander';
import {
  ApiError,
  CancelledError,
  createOracleDocumentsClient,
  type DeleteManyItem,
  type FileCollectionResponse,
  type ManyResult,
  NetworkError,
  ValidationError,
} from '../index.js';
import { BulkProgress } from './bulk-progress.js';
import type { CliContext } from './context.js';
import { captureFetch } from './dry-run.js';
import { exitCodeFor, type InterruptedError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { writeFailedFile } from './failed-file.js';
import { countFileIds, openFileIds } from './file-ids.js';
import { watchInterrupts } from './interrupt.js';
import { connect, type DeleteFlags, type OracleSession } from './oracle-session.js';
import { plural, shellQuote } from './output.js';

type Result = ManyResult<FileCollectionResponse>;

/** Why an item failed, as the summary groups it. */
export function causeOf(error: Error): string {
  if (error instanceof CancelledError) return 'cancelled';
  if (error instanceof ApiError) {
    if (error.status < 200 || error.status > 299) {
      const reason = STATUS_CODES[error.status];
      return `HTTP ${error.status}${reason ? ` ${reason}` : ''}`;
    }
    const code = (error.body as { errorCode?: unknown } | undefined)?.errorCode;
    return typeof code === 'string' || typeof code === 'number'
      ? `errorCode ${code}`
      : `HTTP ${error.status}, unusable answer`;
  }
  if (error instanceof NetworkError) return 'no answer (network)';
  if (error instanceof ValidationError) return `invalid ${error.field}`;
  return error.name;
}

function errorJson(error: Error): Record<string, unknown> {
  return {
    name: error.name,
    message: error.message,
    ...(error instanceof ApiError
      ? {
          operationId: error.operationId,
          status: error.status,
          ...(error.requestId ? { requestId: error.requestId } : {}),
        }
      : {}),
    ...(error instanceof NetworkError ? { operationId: error.operationId } : {}),
    ...(error instanceof ValidationError ? { field: error.field } : {}),
  };
}

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
    ...(session.credentials.appLink !== undefined ? { appLink: session.credentials.appLink } : {}),
  };
}

/** The same run for the failed IDs: the flags that say what to delete, never a credential. */
function rerunCommand(flags: DeleteFlags, command: Command, path: string): string {
  const args = ['metaclear', 'oracle', 'delete-metadata', '--collection', flags.collection];
  for (const field of flags.field) args.push('--field', field);
  const fromCli = (key: string): boolean => command.getOptionValueSource(key) === 'cli';
  if (fromCli('baseUrl')) args.push('--base-url', flags.baseUrl);
  if (fromCli('applinkId') && flags.applinkId !== undefined) args.push('--applink-id', flags.applinkId);
  if (flags.concurrency !== undefined) args.push('--concurrency', String(flags.concurrency));
  args.push('--files-from', path);
  return args.map(shellQuote).join(' ');
}

function countCauses(results: readonly Result[]): Map<string, number> {
  const causes = new Map<string, number>();
  for (const result of results) {
    if (!result.ok) {
      const cause = causeOf(result.error);
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
    }
  }
  return causes;
}

export async function deleteMany(ctx: CliContext, flags: DeleteFlags, spec: string, command: Command): Promise<number> {
  const session = connect(ctx, flags);
  await preflight(flags, session);
  const source = await openFileIds(spec, ctx.deps.cwd, ctx.deps.stdin);
  const total = ctx.deps.isTTY && source.path !== undefined ? await countFileIds(source.path) : undefined;
  const json = flags.json === true;

  const progress = new BulkProgress(ctx, total);
  const interruption = watchInterrupts(ctx, (signal) => {
    progress.stop();
    ctx.err.line(`${signal}: cancelling; files not yet done are reported as cancelled (again to exit at once)`);
  });
  const items = (async function* () {
    for await (const fileId of source.ids) yield item(flags, session, fileId);
  })();
  let results: Result[];
  try {
    results = await session.client.deleteFileMetadataValuesMany(items, {
      ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
      signal: interruption.signal,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.stop();
    interruption.dispose();
  }
  const interrupted = interruption.signal.aborted ? (interruption.signal.reason as InterruptedError) : undefined;

  // Per-file results: JSON lines on stdout; in human mode, each failure (but the cancelled) on stderr.
  for (const result of results) {
    if (json && !flags.dryRun) {
      await ctx.out.lineDrained(
        JSON.stringify(
          result.ok
            ? { fileId: result.fileId, ok: true, response: result.response }
            : { fileId: result.fileId, ok: false, cause: causeOf(result.error), error: errorJson(result.error) },
        ),
      );
    } else if (!json && !result.ok && !(result.error instanceof CancelledError)) {
      ctx.err.line(`error: ${result.fileId}: ${result.error.message}`);
    }
  }

  const failedIds = results.filter((r) => !r.ok).map((r) => r.fileId);
  const causes = countCauses(results);
  const succeeded = results.length - failedIds.length;
  const causeText = [...causes].map(([cause, n]) => `${n} ${cause}`).join(', ');
  const summaryLine = `${plural(results.length, 'file')}: ${succeeded} succeeded, ${failedIds.length} failed${causeText ? ` (${causeText})` : ''}`;

  let failedFile: string | undefined;
  let rerun: string | undefined;
  if (failedIds.length > 0 && !flags.dryRun) {
    const header = [
      `metaclear oracle delete-metadata: ${summaryLine}${interrupted ? `, ${interrupted.message}` : ''}`,
      `written ${new Date(ctx.now()).toISOString()}; re-run these IDs with --files-from (lines starting with # are skipped)`,
    ];
    failedFile = await writeFailedFile(failedIds, header, flags.failedOut, ctx.deps.cwd, ctx.now());
    rerun = rerunCommand(flags, command, failedFile);
  }

  if (flags.dryRun) {
    session.dryRun?.notice();
    if (failedIds.length > 0) ctx.err.line(summaryLine);
  } else if (json) {
    ctx.out.json({
      summary: {
        total: results.length,
        succeeded,
        failed: failedIds.length,
        causes: Object.fromEntries(causes),
        interrupted: interrupted?.signal ?? null,
        failedFile: failedFile ?? null,
        rerun: rerun ?? null,
      },
    });
    if (failedFile !== undefined) ctx.err.line(`failed IDs written to ${failedFile}; re-run with: ${rerun}`);
  } else {
    if (interrupted) ctx.out.line(`Interrupted (${interrupted.signal}).`);
    ctx.out.line(`${summaryLine}.`);
    if (failedFile !== undefined) {
      ctx.out.line(`Failed file IDs written to ${failedFile}`);
      ctx.out.line('Re-run them with:');
      ctx.out.line(`  ${rerun}`);
    }
  }
  if (interrupted) return exitCodeFor(interrupted);
  return failedIds.length > 0 ? EXIT.failed : EXIT.ok;
}
