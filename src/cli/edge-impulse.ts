/** `metaclear edge-impulse clear-metadata` and `metaclear edge-impulse job-status`. */
import { type Command, Option } from 'commander';
import { CATEGORIES } from '../edge-impulse/filters.js';
import {
  type ClearMetadataResult,
  createEdgeImpulseClient,
  type EdgeImpulseClient,
  type Job,
  JobTimeoutError,
  type RawDataCategory,
} from '../index.js';
import { action } from './action.js';
import { addConnectionOptions, type ConnectionFlags, connectionOptions } from './connection.js';
import type { CliContext } from './context.js';
import {
  addEdgeImpulseCredentialOptions,
  EDGE_IMPULSE_ENV,
  type EdgeImpulseCredentialOptions,
  edgeImpulseAuth,
} from './credentials.js';
import { DryRun } from './dry-run.js';
import { addFilterOptions, FILTER_FIELD_FLAGS, type FilterFlags, filterFrom } from './edge-impulse-filters.js';
import { type FieldFlags, InterruptedError, UsageError } from './errors.js';
import { EXIT, exitCodesHelp } from './exit-codes.js';
import { watchInterrupts } from './interrupt.js';
import { JobProgress } from './job-progress.js';
import { successDocument } from './json-output.js';
import { addOutputOptions, type OutputFlags, plural } from './output.js';
import { boundedText, parseInteger, parseSeconds } from './parsers.js';

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

interface WaitFlags {
  wait?: true;
  timeout?: number;
}

type ClearFlags = FilterFlags &
  OutputFlags &
  ConnectionFlags &
  WaitFlags &
  EdgeImpulseCredentialOptions & { project: number; category: RawDataCategory; key: string };

type JobStatusFlags = OutputFlags &
  ConnectionFlags &
  WaitFlags &
  EdgeImpulseCredentialOptions & { project: number; job: number };

function addWaitOptions(command: Command): Command {
  return command
    .addOption(new Option('--wait', 'follow the job until it ends, with its progress on stderr').helpGroup('Job:'))
    .addOption(
      new Option('--timeout <seconds>', 'with --wait: give up after this long (default 600)')
        .argParser(parseSeconds)
        .helpGroup('Job:'),
    );
}

/** A synthetic success for --dry-run: a clear done at once, or a job that has finished. */
function dryRunAnswer(url: URL): unknown {
  const job = /\/jobs\/(\d+)\/status$/.exec(url.pathname);
  if (!job) return { success: true };
  const now = new Date().toISOString();
  return {
    success: true,
    job: {
      id: Number(job[1]),
      category: 'dry run',
      categoryKey: 'dryRun',
      key: 'dry-run',
      created: now,
      finished: now,
      finishedSuccessful: true,
      jobNotificationUids: [],
    },
  };
}

interface Session {
  client: EdgeImpulseClient;
  /** Set with --dry-run: the client sends nothing. */
  dryRun: DryRun | undefined;
}

function connect(
  ctx: CliContext,
  flags: EdgeImpulseCredentialOptions & OutputFlags & WaitFlags & ConnectionFlags,
  command: Command,
): Session {
  if (flags.timeout !== undefined && !flags.wait) throw new UsageError('--timeout applies to --wait; add --wait');
  const auth = edgeImpulseAuth(flags, ctx.redactor, (key) => command.getOptionValueSource(key));
  const dryRun = flags.dryRun ? new DryRun(ctx, flags.json === true, dryRunAnswer) : undefined;
  const client = createEdgeImpulseClient({
    auth,
    baseUrl: flags.baseUrl,
    ...connectionOptions(ctx, flags),
    ...(dryRun !== undefined ? { fetch: dryRun.fetch } : {}),
  });
  return { client, dryRun };
}

function describeJob(job: Job): string {
  if (job.finished === undefined)
    return `job ${job.id} (${job.category}): running${job.started ? `, started ${job.started}` : ''}`;
  if (job.finishedSuccessful === true)
    return `job ${job.id} (${job.category}): finished successfully at ${job.finished}`;
  return `job ${job.id} (${job.category}): failed at ${job.finished}${job.additionalInfo ? `: ${job.additionalInfo}` : ''}`;
}

const followCommand = (projectId: number, jobId: number): string =>
  `metaclear edge-impulse job-status --project ${projectId} --job ${jobId} --wait`;

/**
 * Follows a job with a progress display. On a timeout or an interrupt, says how to pick it up
 * again (the job keeps running on the server) and throws.
 */
async function follow(
  ctx: CliContext,
  session: Session,
  projectId: number,
  jobId: number,
  flags: WaitFlags,
): Promise<{ job: Job; polls: number; elapsed: string }> {
  let progress: JobProgress | undefined;
  const interruption = watchInterrupts(ctx, () => progress?.stop());
  progress = new JobProgress(ctx, jobId);
  try {
    const job = await session.client.waitForJob({
      projectId,
      jobId,
      signal: interruption.signal,
      onProgress: (j) => progress?.update(j),
      ...(flags.timeout !== undefined ? { timeoutMs: Math.max(1, Math.round(flags.timeout * 1000)) } : {}),
    });
    return { job, polls: progress.polls, elapsed: progress.elapsed() };
  } catch (error) {
    progress.stop();
    if (error instanceof InterruptedError || error instanceof JobTimeoutError) {
      ctx.facts.follow = followCommand(projectId, jobId);
      ctx.err.line(`job ${jobId} keeps running on the server; follow it with: ${ctx.facts.follow}`);
    }
    throw error;
  } finally {
    progress.stop();
    interruption.dispose();
  }
}

const CLEAR = 'edge-impulse clear-metadata';
const JOB_STATUS = 'edge-impulse job-status';

async function clearMetadata(ctx: CliContext, flags: ClearFlags, command: Command): Promise<number> {
  Object.assign(ctx.facts, { projectId: flags.project, category: flags.category, metadataKey: flags.key });
  const session = connect(ctx, flags, command);
  const filter = filterFrom(flags);
  const interruption = watchInterrupts(ctx, () => undefined);
  let result: ClearMetadataResult;
  try {
    result = await session.client.clearMetadataByKey({
      projectId: flags.project,
      category: flags.category,
      metadataKey: flags.key,
      signal: interruption.signal,
      ...(filter === undefined ? {} : { filter }),
    });
  } finally {
    interruption.dispose();
  }
  if (session.dryRun) {
    session.dryRun.notice();
    return EXIT.ok;
  }
  const what = `metadata key ${JSON.stringify(flags.key)} on the matching ${flags.category === 'all' ? '' : `${flags.category} `}samples of project ${flags.project}`;
  if (result.status === 'done') {
    if (flags.json) successDocument(ctx, CLEAR, { status: 'done' });
    else ctx.out.line(`Cleared ${what}.`);
    return EXIT.ok;
  }
  ctx.facts.jobId = result.jobId;
  if (!flags.wait) {
    if (flags.json) successDocument(ctx, CLEAR, { status: 'job' });
    else {
      ctx.out.line(`Clearing ${what}: the server continues as job ${result.jobId}.`);
      ctx.out.line(`Follow it with: ${followCommand(flags.project, result.jobId)}`);
    }
    return EXIT.ok;
  }
  const followed = await follow(ctx, session, flags.project, result.jobId, flags);
  if (flags.json) successDocument(ctx, CLEAR, { status: 'job', job: followed.job });
  else {
    ctx.out.line(
      `Cleared ${what}: job ${result.jobId} finished successfully (${plural(followed.polls, 'poll')}, ${followed.elapsed}).`,
    );
  }
  return EXIT.ok;
}

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
  addWaitOptions(clear);
  addConnectionOptions(clear);
  addOutputOptions(clear);
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

  # show the request without sending it
  metaclear edge-impulse clear-metadata --project 1 --category testing --key site --metadata-not site=lab --dry-run

${ENVIRONMENT_HELP}

${exitCodesHelp({ wait: true })}`,
    )
    .action(action<ClearFlags>(ctx, CLEAR_FLAGS, (flags, command) => clearMetadata(ctx, flags, command)));

  const status = group
    .command('job-status')
    .summary('show a job, or wait for it to end')
    .description('Show the status of a job (GET /api/{projectId}/jobs/{jobId}/status); --wait follows it until it ends')
    .addOption(new Option('--project <id>', 'project ID').argParser(parseInteger).makeOptionMandatory())
    .addOption(new Option('--job <id>', 'job ID').argParser(parseInteger).makeOptionMandatory());
  addWaitOptions(status);
  addConnectionOptions(status);
  addOutputOptions(status);
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
