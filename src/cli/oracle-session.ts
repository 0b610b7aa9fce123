/** The flags of `oracle delete-metadata`, and the client they make (or, with --dry-run, one that sends nothing). */
import type { Command } from 'commander';
import { createOracleDocumentsClient, type OracleDocumentsClient } from '../index.js';
import { type ConnectionFlags, connectionOptions } from './connection.js';
import type { CliContext } from './context.js';
import { type OracleCredentialOptions, type OracleCredentials, oracleCredentials } from './credentials.js';
import { DryRun } from './dry-run.js';
import type { OutputFlags } from './output.js';

export type DeleteFlags = OutputFlags &
  ConnectionFlags &
  OracleCredentialOptions & {
    file?: string;
    filesFrom?: string;
    collection: string;
    field: string[];
    concurrency?: number;
    failedOut?: string;
    overwrite?: true;
    journal?: string;
    allowEmpty?: true;
    maxRate?: number;
  };

/** A synthetic success for --dry-run. */
const dryRunAnswer = (): unknown => ({ errorCode: '0' });

export interface OracleSession {
  client: OracleDocumentsClient;
  credentials: OracleCredentials;
  /** Set with --dry-run: the client sends nothing. */
  dryRun: DryRun | undefined;
}

export function connect(ctx: CliContext, flags: DeleteFlags, command: Command): OracleSession {
  const credentials = oracleCredentials(flags, ctx.redactor, (key) => command.getOptionValueSource(key));
  const dryRun = flags.dryRun ? new DryRun(ctx, flags.json === true, dryRunAnswer) : undefined;
  const client = createOracleDocumentsClient({
    baseUrl: flags.baseUrl,
    ...(credentials.auth !== undefined ? { auth: credentials.auth } : {}),
    ...connectionOptions(ctx, flags),
    ...(dryRun !== undefined ? { fetch: dryRun.fetch } : {}),
  });
  return { client, credentials, dryRun };
}
