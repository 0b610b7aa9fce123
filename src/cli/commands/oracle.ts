/** `metaclear oracle delete-metadata`: one file (--file) or many (--files-from). */
import { type Command, Option } from 'commander';
import type { OracleDocumentsClient } from '../../index.js';
import { readOwnValues } from '../../oracle-documents/values.js';
import { action } from '../action.js';
import { addConnectionOptions } from '../connection.js';
import type { CliContext } from '../context.js';
import { addOracleCredentialOptions, ORACLE_ENV } from '../credentials.js';
import { type FieldFlags, UsageError } from '../errors.js';
import { EXIT, exitCodesHelp } from '../exit-codes.js';
import { watchInterrupts } from '../interrupt.js';
import { deleteMany, preflight } from '../oracle/bulk.js';
import { type DeleteFlags, type DeletePlan, planDelete } from '../oracle/delete-plan.js';
import { valuesText } from '../oracle/preview.js';
import { connect, type OracleSession } from '../oracle/session.js';
import { boundedText, collect, parseCount, parseInteger, parseRate } from '../parsers.js';
import { successDocument } from '../terminal/json-output.js';
import { addOutputOptions } from '../terminal/output.js';
import { printable } from '../terminal/printable.js';
import { addProgressOption } from '../terminal/progress.js';
import {
  type BackupPlace,
  type ClearOutcome,
  NO_BACKUP_LINE,
  OracleBackup,
  oracleRestoreCommand,
} from '../undo/oracle-backup.js';
import { registerOracleRestore } from '../undo/oracle-restore.js';

const ENVIRONMENT_HELP = `Environment:
  ${ORACLE_ENV.baseUrl}   the API root, e.g. https://tenant.example.com/documents/api/1.1 (required)
  ${ORACLE_ENV.username} + ${ORACLE_ENV.password} | ${ORACLE_ENV.bearerToken}   the credential
  ${ORACLE_ENV.appLinkId}, ${ORACLE_ENV.appLinkToken}   an applink (for a file under a folder that is not yours)`;

export const ORACLE_FIELD_FLAGS: FieldFlags = {
  fileId: '--file',
  collection: '--collection',
  fields: '--field',
  appLink: '--applink-id/--applink-token',
  'appLink.id': `--applink-id (${ORACLE_ENV.appLinkId})`,
  'appLink.accessToken': `--applink-token (${ORACLE_ENV.appLinkToken})`,
  'options.baseUrl': `--base-url (${ORACLE_ENV.baseUrl})`,
  'options.auth': 'the credential',
  'options.auth.username': `--username (${ORACLE_ENV.username})`,
  'options.auth.password': `--password (${ORACLE_ENV.password})`,
  'options.auth.bearerToken': `--bearer-token (${ORACLE_ENV.bearerToken})`,
  'options.concurrency': '--concurrency',
};

const DELETE = 'oracle delete-metadata';

async function deleteOne(ctx: CliContext, plan: DeletePlan, session: OracleSession, fileId: string): Promise<number> {
  const { target } = plan;
  const appLink = session.appLink !== undefined ? { appLink: session.appLink } : {};
  if (plan.backup === undefined) return deleteUnread(ctx, plan, session, fileId);
  // Flags the facade refuses (a field with a comma, a bad applink) fail before the read is sent.
  await preflight(target, session);
  // As a bulk run does: read the file's own values, write them to the backup, clear exactly those fields.
  const place = session.dryRun ? undefined : OracleBackup.check(ctx, target, plan.backup.path, undefined, []);
  const interruption = watchInterrupts(ctx, () => undefined);
  try {
    const item = { fileId, collection: target.collection, fields: target.fields, ...appLink };
    if (session.dryRun) {
      // The preview: the file's own values are read; the DELETE of the fields that hold one is printed.
      const values = await readOwnValues(session.reader, { ...item, signal: interruption.signal });
      const fields = Object.keys(values);
      if (plan.json) ctx.out.json({ dryRun: true, fileId, values });
      else {
        ctx.out.line(
          printable(`  ${fileId}: ${fields.length > 0 ? valuesText(values) : 'no value of its own in these fields'}`),
        );
      }
      if (fields.length > 0) {
        await session.client.deleteFileMetadataValues({ ...item, fields, signal: interruption.signal });
      }
      session.dryRun.notice({ reads: true });
      return EXIT.ok;
    }
    const backup = OracleBackup.open(ctx, target, place as BackupPlace);
    let outcome: ClearOutcome;
    try {
      outcome = await backup.step(session)(item, interruption.signal);
    } catch (error) {
      // The backup holds the values whatever the DELETE's fate (and its outcome, when answered).
      const kept = backup.close();
      if (kept) ctx.err.line(backup.summaryLine(kept));
      throw error;
    }
    const kept = backup.close();
    // The backup's last write and fsync decide the ending too: one that failed is no success.
    const unwritten = backup.closeFailure;
    if (unwritten !== undefined) {
      ctx.err.line(backup.summaryLine(kept));
      throw unwritten;
    }
    if (outcome.response === null) {
      if (plan.json) successDocument(ctx, DELETE, { cleared: 0, backup: null });
      else {
        ctx.out.line(
          `File ${fileId} holds no value of its own in ${target.fields.join(', ')} of collection ${JSON.stringify(target.collection)}: nothing deleted, no backup written.`,
        );
      }
      return EXIT.ok;
    }
    if (plan.json) {
      successDocument(ctx, DELETE, {
        response: outcome.response,
        cleared: 1,
        backup: backup.path,
        restore: oracleRestoreCommand(backup.path),
      });
    } else {
      ctx.out.line(
        `Deleted the values of ${outcome.cleared.join(', ')} in collection ${JSON.stringify(target.collection)} on file ${fileId}.`,
      );
      ctx.out.line(backup.summaryLine(kept));
    }
    return EXIT.ok;
  } finally {
    interruption.dispose();
  }
}

/** --no-backup: one DELETE of every field named, nothing read. */
async function deleteUnread(
  ctx: CliContext,
  plan: DeletePlan,
  session: OracleSession,
  fileId: string,
): Promise<number> {
  const { target } = plan;
  const interruption = watchInterrupts(ctx, () => undefined);
  let response: Awaited<ReturnType<OracleDocumentsClient['deleteFileMetadataValues']>>;
  try {
    response = await session.client.deleteFileMetadataValues({
      fileId,
      collection: target.collection,
      fields: target.fields,
      signal: interruption.signal,
      ...(session.appLink !== undefined ? { appLink: session.appLink } : {}),
    });
  } finally {
    interruption.dispose();
  }
  if (session.dryRun) session.dryRun.notice();
  else if (plan.json) successDocument(ctx, DELETE, { response });
  else {
    ctx.out.line(
      `Deleted the values of ${target.fields.join(', ')} in collection ${JSON.stringify(target.collection)} on file ${fileId}.`,
    );
    ctx.out.line(NO_BACKUP_LINE);
  }
  return EXIT.ok;
}

const BULK_ONLY = [
  ['concurrency', '--concurrency'],
  ['failedOut', '--failed-out'],
  ['overwrite', '--overwrite'],
  ['journal', '--journal'],
  ['allowEmpty', '--allow-empty'],
  ['maxRate', '--max-rate'],
  ['maxAuthFailures', '--max-auth-failures'],
  ['fromLine', '--from-line'],
  ['backup', '--backup'],
  ['maxAffected', '--max-affected'],
] as const;

async function deleteMetadata(ctx: CliContext, flags: DeleteFlags, command: Command): Promise<number> {
  if (flags.file === undefined && flags.filesFrom === undefined) {
    throw new UsageError('say which file(s): --file <id>, or --files-from <path> (- for stdin)');
  }
  if (flags.file !== undefined) {
    for (const [key, flag] of BULK_ONLY) {
      if (key === 'backup') continue;
      if (flags[key] !== undefined) throw new UsageError(`${flag} applies to --files-from`);
    }
    ctx.facts.fileId = flags.file;
    // The flags become a plan here, once; the parts below take the plan and the session.
    return deleteOne(ctx, planDelete(flags), connect(ctx, flags, command), flags.file);
  }
  return deleteMany(ctx, planDelete(flags), connect(ctx, flags, command), flags.filesFrom as string);
}

export function registerOracle(program: Command, ctx: CliContext): void {
  const group = program
    .command('oracle')
    .summary('delete values of metadata fields on Oracle Content Management files')
    .description('Oracle Content Management (REST API for Documents 1.1): delete values of metadata fields on files')
    .addHelpText('after', `\n${ENVIRONMENT_HELP}`);

  const remove = group
    .command('delete-metadata')
    .summary('delete field values of a metadata collection on one file or many')
    .description(
      'Delete the values of fields of a metadata collection on a file, or on many\n' +
        '(DELETE /documents/api/1.1/files/{fileId}/metadata, one request per file).',
    )
    .addOption(new Option('--file <id>', 'the file ID (GUID)').argParser(boundedText).conflicts('filesFrom'))
    .addOption(
      new Option('--collection <name>', 'the collection, e.g. CollectionA or Personal.CollectionA')
        .argParser(boundedText)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--field <name>', 'a field whose value is deleted (repeatable)')
        .argParser(collect(boundedText))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--files-from <path>',
        'bulk: file IDs, one per line (blank lines and # comments skipped); - reads stdin',
      ).helpGroup('Bulk mode:'),
    )
    .addOption(
      new Option('--concurrency <n>', 'bulk: requests in flight at once (default 8)')
        .argParser(parseInteger)
        .helpGroup('Bulk mode:'),
    )
    .addOption(
      new Option(
        '--failed-out <path>',
        'bulk: where to write the IDs that failed, as they fail (default ./metaclear-failed-<UTC time>.txt); must not exist',
      ).helpGroup('Bulk mode:'),
    )
    .addOption(new Option('--overwrite', 'bulk: let --failed-out replace an existing file').helpGroup('Bulk mode:'))
    .addOption(
      new Option(
        '--journal <path>',
        'bulk: append one line per finished file; the same command with the same journal skips what succeeded',
      ).helpGroup('Bulk mode:'),
    )
    .addOption(
      new Option('--max-rate <n/s>', 'bulk: start at most n requests per second, e.g. 20/s')
        .argParser(parseRate)
        .helpGroup('Bulk mode:'),
    )
    .addOption(
      new Option(
        '--max-auth-failures <n>',
        'bulk: stop after n answers in a row that refuse the credential (HTTP 401, 403, errorCode -20); 0 never stops (default 10)',
      )
        .argParser(parseInteger)
        .helpGroup('Bulk mode:'),
    )
    .addOption(
      new Option(
        '--from-line <n>',
        'bulk: start at line n of the input (the lines before it are skipped): the rest of a run without a journal',
      )
        .argParser(parseInteger)
        .helpGroup('Bulk mode:'),
    )
    .addOption(
      new Option('--allow-empty', 'bulk: an input with no file ID is not an error (exit status 0)').helpGroup(
        'Bulk mode:',
      ),
    )
    .addOption(
      new Option(
        '--backup <path>',
        "write each file's own values of the fields here before clearing them (default: <journal>.backup.jsonl with --journal, else metaclear-backup-oracle-<UTC time>.jsonl); --file too",
      ).helpGroup('Safety:'),
    )
    .addOption(
      new Option('--no-backup', 'clear without reading or backing up the values (no undo); --file too').helpGroup(
        'Safety:',
      ),
    )
    .addOption(
      new Option(
        '--max-affected <n>',
        'bulk: read every file first, and refuse the run if more than n hold a value in the fields',
      )
        .argParser(parseCount)
        .helpGroup('Safety:'),
    );
  addConnectionOptions(remove);
  addProgressOption(remove, 'Bulk mode:');
  addOutputOptions(remove);
  addOracleCredentialOptions(remove);
  remove
    .addHelpText(
      'after',
      `
Examples:
  # fields A1 and A2 of CollectionA on one file
  metaclear oracle delete-metadata --file D3C1C1F319CFE6B102095C5DT0000000000100000001 \\
    --collection CollectionA --field A1 --field A2

  # a file under someone else's folder, through an applink (token from ${ORACLE_ENV.appLinkToken})
  metaclear oracle delete-metadata --file DED694950C14AFF280419F9AB5D17B95F47087F4E518 \\
    --collection ApplinkCollection --field appField1 --applink-id "$APPLINK_ID"

  # many files, 16 at a time; the failed IDs are written to a file to re-run with --files-from
  metaclear oracle delete-metadata --files-from ids.txt --collection CollectionA --field A1 --concurrency 16
  cut -d, -f1 files.csv | metaclear oracle delete-metadata --files-from - --collection CollectionA --field A1 --json

  # a million files, resumable: after an interruption, the same command skips what succeeded
  metaclear oracle delete-metadata --files-from ids.txt --collection CollectionA --field A1 \\
    --journal run.journal --max-rate 50/s

  # see each file's own values and the DELETEs first; refuse if more than 500 files would change
  metaclear oracle delete-metadata --files-from ids.txt --collection CollectionA --field A1 --dry-run
  metaclear oracle delete-metadata --files-from ids.txt --collection CollectionA --field A1 --max-affected 500

  # undo a run: the summary prints the command (the backup is run.journal.backup.jsonl with --journal)
  metaclear restore run.journal.backup.jsonl

Each file's own values of the fields (directAssigned=1) are read and written to the backup before
they are cleared, one file (--file) or many; only the fields that held a value are cleared, and the
DELETE's outcome is written after its entry (--no-backup: one DELETE per file, no undo); --dry-run
prints the values and the DELETEs, sending only the reads. In bulk mode every output path is
checked before the first request; the failed IDs (and the journal) are written as files finish,
and made durable every second. The exit status is 1 when
any file failed. Ctrl-C cancels the files in flight (listed in the failed-IDs file) and starts no
more; the summary says from which line the input was not run, and the command that resumes.
A second Ctrl-C exits at once. A record that cannot be written (a full disk) stops the run, as do
10 answers in a row that refuse the credential (--max-auth-failures). On 429/503 answers the
number of requests in flight is halved, and raised again as answers recover.

${ENVIRONMENT_HELP}

${exitCodesHelp({ bulk: true })}`,
    )
    .action(action<DeleteFlags>(ctx, ORACLE_FIELD_FLAGS, (flags, command) => deleteMetadata(ctx, flags, command)));
  registerOracleRestore(group, ctx);
}
