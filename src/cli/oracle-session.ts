/** The flags of `oracle delete-metadata`, and the client they make (or, with --dry-run, one that sends nothing). */
import type { Command } from 'commander';
import { type AppLink, type AppLinkSource, createOracleDocumentsClient, type OracleDocumentsClient } from '../index.js';
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
    maxAuthFailures?: number;
    fromLine?: number;
  };

/** A synthetic success for --dry-run. */
const dryRunAnswer = (): unknown => ({ errorCode: '0' });

export interface OracleSession {
  client: OracleDocumentsClient;
  credentials: OracleCredentials;
  /** Set with --dry-run: the client sends nothing. */
  dryRun: DryRun | undefined;
  /** The applink of every request (see appLinkFor), if any. */
  appLink: AppLink | AppLinkSource | undefined;
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
  return { client, credentials, dryRun, appLink: appLinkFor(ctx, client, credentials) };
}

/**
 * The applink the requests carry: as given, or with --applink-refresh-token a function that hands
 * it out and, when Oracle answers that its access token expired, fetches a new one with the
 * refresh token (the client asks once per expired token, however many requests found it expired).
 * Every new access token is a secret of the run, kept out of its output like the first.
 */
function appLinkFor(
  ctx: CliContext,
  client: OracleDocumentsClient,
  credentials: OracleCredentials,
): AppLink | AppLinkSource | undefined {
  const { appLink, refreshToken } = credentials;
  if (appLink === undefined || refreshToken === undefined) return appLink;
  let current = appLink;
  return async ({ expired }) => {
    if (expired !== undefined && expired.accessToken === current.accessToken) {
      current = await client.refreshAppLinkToken({ appLink: expired, refreshToken });
      ctx.redactor.add(current.accessToken);
      ctx.err.line('the applink access token expired: a new one was fetched with --applink-refresh-token');
    }
    return current;
  };
}
