/**
 * What the Edge Impulse commands share: the client their flags make (with --dry-run, one that sends
 * nothing that changes anything, beside one that reads), and following a job with its progress.
 */
import { type Command, Option } from 'commander';
import { createEdgeImpulseClient, type EdgeImpulseClient, type Job, JobTimeoutError } from '../../index.js';
import { type ConnectionFlags, connectionOptions } from '../connection.js';
import type { CliContext } from '../context.js';
import { type EdgeImpulseCredentialOptions, edgeImpulseAuth } from '../credentials.js';
import { InterruptedError, UsageError } from '../errors.js';
import { watchInterrupts } from '../interrupt.js';
import { parseSeconds } from '../parsers.js';
import { DryRun } from '../terminal/dry-run.js';
import { JobProgress } from '../terminal/job-progress.js';
import type { OutputFlags } from '../terminal/output.js';
import type { ProgressFlags } from '../terminal/progress.js';

export interface WaitFlags {
  wait?: true;
  timeout?: number;
}

export function addWaitOptions(
  command: Command,
  waitHelp = 'follow the job until it ends, with its progress on stderr',
): Command {
  return command
    .addOption(new Option('--wait', waitHelp).helpGroup('Job:'))
    .addOption(
      new Option('--timeout <seconds>', 'with --wait: give up after this long (default 600)')
        .argParser(parseSeconds)
        .helpGroup('Job:'),
    );
}

/** A synthetic success for --dry-run: a change done at once, or a job that has finished. */
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

export interface Session {
  /** For the calls that change something: with --dry-run, it prints them and sends nothing. */
  client: EdgeImpulseClient;
  /** For the reads (countSamples, listSamples): they are sent, --dry-run or not. */
  reader: EdgeImpulseClient;
  /** Set with --dry-run. */
  dryRun: DryRun | undefined;
  /** The base URL the clients use. */
  baseUrl: string | undefined;
}

export type SessionFlags = EdgeImpulseCredentialOptions & OutputFlags & WaitFlags & ConnectionFlags;

export function connect(ctx: CliContext, flags: SessionFlags, command: Command, baseUrl = flags.baseUrl): Session {
  if (flags.timeout !== undefined && !flags.wait) throw new UsageError('--timeout applies to --wait; add --wait');
  const auth = edgeImpulseAuth(flags, ctx.redactor, (key) => command.getOptionValueSource(key));
  const dryRun = flags.dryRun ? new DryRun(ctx, flags.json === true, dryRunAnswer) : undefined;
  const make = (fetch?: typeof globalThis.fetch) =>
    createEdgeImpulseClient({ auth, baseUrl, ...connectionOptions(ctx, flags), ...(fetch ? { fetch } : {}) });
  const reader = make();
  return { client: dryRun ? make(dryRun.fetch) : reader, reader, dryRun, baseUrl };
}

/** How a job is followed: --timeout (seconds; default 600) and the --progress mode. */
export type FollowOptions = Pick<WaitFlags, 'timeout'> & ProgressFlags;

export const followCommand = (projectId: number, jobId: number): string =>
  `metaclear edge-impulse job-status --project ${projectId} --job ${jobId} --wait`;

/**
 * Follows a job with a progress display. On a timeout or an interrupt, says how to pick it up
 * again (the job keeps running on the server) and throws.
 */
export async function follow(
  ctx: CliContext,
  session: Session,
  projectId: number,
  jobId: number,
  options: FollowOptions,
): Promise<{ job: Job; polls: number; elapsed: string }> {
  let progress: JobProgress | undefined;
  const interruption = watchInterrupts(ctx, () => progress?.stop());
  progress = new JobProgress(ctx, jobId, options.progress);
  try {
    const job = await session.client.waitForJob({
      projectId,
      jobId,
      signal: interruption.signal,
      onProgress: (j) => progress?.update(j),
      ...(options.timeout !== undefined ? { timeoutMs: Math.max(1, Math.round(options.timeout * 1000)) } : {}),
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
