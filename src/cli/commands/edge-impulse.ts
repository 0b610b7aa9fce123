/** `metaclear edge-impulse clear-metadata` and `metaclear edge-impulse job-status`. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CATEGORIES } from '../../edge-impulse/filters.js';
import type { Job } from '../../index.js';
import { action } from '../action.js';
import { addConnectionOptions, type ConnectionFlags } from '../connection.js';
import type { CliContext } from '../context.js';
import {
  addEdgeImpulseCredentialOptions,
  EDGE_IMPULSE_ENV,
  type EdgeImpulseCredentialOptions,
} from '../credentials.js';
import { clearMetadata } from '../edge-impulse/clear.js';
import { type ClearFlags, planClear } from '../edge-impulse/clear-plan.js';
import { addFilterOptions, FILTER_FIELD_FLAGS } from '../edge-impulse/filters.js';
import { addWaitOptions, connect, follow, type WaitFlags } from '../edge-impulse/session.js';
import { type FieldFlags, UsageError } from '../errors.js';
import { EXIT, exitCodesHelp } from '../exit-codes.js';
import { watchInterrupts } from '../interrupt.js';
import { boundedText, parseInteger, parseSeconds } from '../parsers.js';
import { successDocument } from '../terminal/json-output.js';
import { addOutputOptions, type OutputFlags } from '../terminal/output.js';
import {
  addProgressOption,
  CLEAR_PROGRESS_HELP,
  JOB_PROGRESS_HELP,
  RESTORE_PROGRESS_HELP,
} from '../terminal/progress.js';
import { openBackup } from '../undo/backup-file.js';
import { restoreEdgeImpulse } from '../undo/edge-impulse-restore.js';
import { edgeImpulseRestoreSettings, type RestoreFlags } from '../undo/edge-impulse-restore-settings.js';

/** A count: an integer, 0 or more. */
function parseCount(value: string): number {
  const n = parseInteger(value);
  if (n < 0) throw new InvalidArgumentError('Expected an integer, 0 or more.');
  return n;
}

const ENVIRONMENT_HELP = `Environment:
  ${EDGE_IMPULSE_ENV.apiKey} | ${EDGE_IMPULSE_ENV.jwtToken} | ${EDGE_IMPULSE_ENV.bearerToken}   the credential (exactly one)
  ${EDGE_IMPULSE_ENV.baseUrl}   the API root (default https://studio.edgeimpulse.com/v1)`;

const COMMON_FLAGS: FieldFlags = {
  projectId: '--project',
  jobId: '--job',
  timeoutMs: '--timeout',
  'options.baseUrl': `--base-url (${EDGE_IMPULSE_ENV.baseUrl})`,
  'options.auth.apiKey': `--api-key (${EDGE_IMPULSE_ENV.apiKey})`,
  'options.auth.jwtToken': `--jwt-token (${EDGE_IMPULSE_ENV.jwtToken})`,
  'options.auth.bearerToken': `--bearer-token (${EDGE_IMPULSE_ENV.bearerToken})`,
};

const CLEAR_FLAGS: FieldFlags = {
  ...COMMON_FLAGS,
  category: '--category',
  metadataKey: '--key',
  ...FILTER_FIELD_FLAGS,
};

type JobStatusFlags = OutputFlags &
  ConnectionFlags &
  WaitFlags &
  EdgeImpulseCredentialOptions & { project: number; job: number };

function describeJob(job: Job): string {
  if (job.finished === undefined)
    return `job ${job.id} (${job.category}): running${job.started ? `, started ${job.started}` : ''}`;
  if (job.finishedSuccessful === true)
    return `job ${job.id} (${job.category}): finished successfully at ${job.finished}`;
  return `job ${job.id} (${job.category}): failed at ${job.finished}${job.additionalInfo ? `: ${job.additionalInfo}` : ''}`;
}

const JOB_STATUS = 'edge-impulse job-status';

async function jobStatus(ctx: CliContext, flags: JobStatusFlags, command: Command): Promise<number> {
  Object.assign(ctx.facts, { projectId: flags.project, jobId: flags.job });
  const session = connect(ctx, flags, command);
  let job: Job;
  if (flags.wait) {
    job = (await follow(ctx, session, flags.project, flags.job, flags)).job;
  } else {
    const interruption = watchInterrupts(ctx, () => undefined);
    try {
      job = await session.client.getJobStatus({
        projectId: flags.project,
        jobId: flags.job,
        signal: interruption.signal,
      });
    } finally {
      interruption.dispose();
    }
  }
  if (session.dryRun) {
    session.dryRun.notice();
    return EXIT.ok;
  }
  if (flags.json) successDocument(ctx, JOB_STATUS, { job });
  else ctx.out.line(describeJob(job));
  return EXIT.ok;
}

/** --timeout alone: restore always follows its jobs. */
function addWaitTimeout(command: Command): Command {
  return command.addOption(
    new Option('--timeout <seconds>', 'give up on a job after this long (default 600)')
      .argParser(parseSeconds)
      .helpGroup('Job:'),
  );
}

export function registerEdgeImpulse(program: Command, ctx: CliContext): void {
  const group = program
    .command('edge-impulse')
    .summary('clear a metadata key on Edge Impulse samples; follow jobs')
    .description('Edge Impulse: clear a metadata key on matching samples; follow the job the server may start')
    .addHelpText('after', `\n${ENVIRONMENT_HELP}`);

  const clear = group
    .command('clear-metadata')
    .summary('clear one metadata key on the samples that match the filters')
    .description(
      'Clear one metadata key on every sample of a project that matches the filters\n' +
        '(POST /api/{projectId}/raw-data/batch/clear-metadata-by-key). Large selections continue as a job.',
    )
    .addOption(new Option('--project <id>', 'project ID').argParser(parseInteger).makeOptionMandatory())
    .addOption(new Option('--category <category>', 'which samples').choices(CATEGORIES).makeOptionMandatory())
    .addOption(
      new Option('--key <metadataKey>', 'the metadata key to clear').argParser(boundedText).makeOptionMandatory(),
    );
  addFilterOptions(clear);
  clear
    .addOption(
      new Option(
        '--backup <path>',
        'write the values the run clears to this file first (default: metaclear-backup-edge-impulse-<project>-<time>.jsonl)',
      ).helpGroup('Safety:'),
    )
    .addOption(
      new Option('--no-backup', 'clear with one filter call, keeping no backup (no undo)').helpGroup('Safety:'),
    )
    .addOption(
      new Option('--max-affected <n>', 'refuse the run if it would change more samples than this')
        .argParser(parseCount)
        .helpGroup('Safety:'),
    );
  addWaitOptions(clear);
  addConnectionOptions(clear);
  addProgressOption(clear, 'Job:', CLEAR_PROGRESS_HELP);
  addOutputOptions(clear, { jsonLines: false });
  addEdgeImpulseCredentialOptions(clear);
  clear
    .addHelpText(
      'after',
      `
Examples:
  # the key "reviewer" on training samples labelled idle or snake, added in 2024, whose source is phone
  metaclear edge-impulse clear-metadata --project 1 --category training --key reviewer \\
    --label idle --label snake --min-date 2024-01-01T00:00:00Z --max-date 2025-01-01T00:00:00Z \\
    --metadata source=phone

  # every sample except IDs 4 and 5; wait for the job, at most 2 minutes
  metaclear edge-impulse clear-metadata --project 1 --category all --key site --exclude-ids 4,5 --wait --timeout 120

  # see what it would clear (the server's counts, a few values) and the requests, changing nothing
  metaclear edge-impulse clear-metadata --project 1 --category testing --key site --metadata-not site=lab --dry-run

  # refuse if more than 500 samples would change; undo with the command the summary prints
  metaclear edge-impulse clear-metadata --project 1 --category training --key site --max-affected 500
  metaclear restore metaclear-backup-edge-impulse-1-20261203T100000Z.jsonl

${ENVIRONMENT_HELP}

${exitCodesHelp({ wait: true })}`,
    )
    .action(
      action<ClearFlags>(ctx, CLEAR_FLAGS, (flags, command) => {
        // The flags become a plan here, once; the clear takes the plan and the session.
        const plan = planClear(ctx, flags);
        return clearMetadata(ctx, plan, connect(ctx, flags, command));
      }),
    );

  const restore = group
    .command('restore <backup>')
    .summary('put back the values a clear-metadata run backed up')
    .description(
      'Put back the values of a backup written by clear-metadata (batchAddMetadata,\n' +
        'by ids). First it waits for the jobs the clear started (the backup names\n' +
        'them): until they end, they could undo a restore. Idempotent: a sample that\n' +
        'holds its value already is left alone, so running it again resumes it. A\n' +
        'sample whose key holds another value now is left alone unless --force. Its\n' +
        'own jobs are followed to their end, and what it restored is read back before\n' +
        'it is reported; samples changed since the backup, gone, or not restored are\n' +
        'listed (stderr; --json: "undone").',
    )
    .addOption(new Option('--force', 'also overwrite values changed since the backup'))
    .addOption(
      new Option('--no-wait', "refuse (exit 75) instead of waiting when the clear's jobs have not finished").helpGroup(
        'Job:',
      ),
    )
    .addOption(
      new Option(
        '--lost-jobs-ended',
        "the clear lost a call's answer (its summary said so): restore once you have seen every job of the project end",
      ).helpGroup('Job:'),
    );
  addWaitTimeout(restore);
  addConnectionOptions(restore);
  addOutputOptions(restore, { jsonLines: false });
  addProgressOption(restore, 'Output:', RESTORE_PROGRESS_HELP);
  addEdgeImpulseCredentialOptions(restore);
  restore
    .addHelpText(
      'after',
      `
Examples:
  metaclear restore metaclear-backup-edge-impulse-1-20261203T100000Z.jsonl --dry-run
  metaclear edge-impulse restore backup.jsonl --force --json

${ENVIRONMENT_HELP}

${exitCodesHelp({ wait: true, restore: true })}`,
    )
    .action(
      action<RestoreFlags>(ctx, COMMON_FLAGS, async (flags, command) => {
        const backup = await openBackup(String(command.args[0]), ctx.deps.cwd);
        if (backup.header.api !== 'edge-impulse') {
          throw new UsageError(
            `${backup.path} is a backup of ${backup.header.api}, not edge-impulse; run: metaclear restore ${backup.path}`,
          );
        }
        // The flags become the restore's settings here, once; the restore takes them and the session
        // (its own jobs always followed: a restore is done when its values are back).
        const settings = edgeImpulseRestoreSettings(ctx, backup, flags, command);
        return restoreEdgeImpulse(ctx, settings, connect(ctx, { ...flags, wait: true }, command, settings.baseUrl));
      }),
    );

  const status = group
    .command('job-status')
    .summary('show a job, or wait for it to end')
    .description('Show the status of a job (GET /api/{projectId}/jobs/{jobId}/status); --wait follows it until it ends')
    .addOption(new Option('--project <id>', 'project ID').argParser(parseInteger).makeOptionMandatory())
    .addOption(new Option('--job <id>', 'job ID').argParser(parseInteger).makeOptionMandatory());
  addWaitOptions(status);
  addConnectionOptions(status);
  addProgressOption(status, 'Job:', JOB_PROGRESS_HELP);
  addOutputOptions(status, { jsonLines: false });
  addEdgeImpulseCredentialOptions(status);
  status
    .addHelpText(
      'after',
      `
Examples:
  metaclear edge-impulse job-status --project 1 --job 12873488112
  metaclear edge-impulse job-status --project 1 --job 12873488112 --wait --timeout 300 --json

${ENVIRONMENT_HELP}

${exitCodesHelp({ wait: true })}`,
    )
    .action(action<JobStatusFlags>(ctx, COMMON_FLAGS, (flags, command) => jobStatus(ctx, flags, command)));
}
