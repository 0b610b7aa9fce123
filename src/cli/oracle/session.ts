/** The flags every Oracle command shares, and the client they make (or, with --dry-run, one that sends nothing). */
import type { Command } from 'commander';
import {
  type AppLink,
  type AppLinkSource,
  createOracleDocumentsClient,
  type OracleDocumentsClient,
} from '../../index.js';
import { type ConnectionFlags, connectionOptions } from '../connection.js';
import type { CliContext } from '../context.js';
import { type OracleCredentialOptions, type OracleCredentials, oracleCredentials } from '../credentials.js';
import { DryRun } from '../terminal/dry-run.js';
import type { OutputFlags } from '../terminal/output.js';

/** What every Oracle command takes: output, connection and credential flags. */
export type OracleSessionFlags = OutputFlags & ConnectionFlags & OracleCredentialOptions;

/** A synthetic success for --dry-run. */
const dryRunAnswer = (): unknown => ({ errorCode: '0' });

export interface OracleSession {
  /** For the calls that change something: with --dry-run, it prints them and sends nothing. */
  client: OracleDocumentsClient;
  /** For the reads (a preview, the values backed up): they are sent, --dry-run or not. */
  reader: OracleDocumentsClient;
  credentials: OracleCredentials;
  /** Set with --dry-run: the client sends nothing. */
  dryRun: DryRun | undefined;
  /** The applink of every request (see appLinkFor), if any. */
  appLink: AppLink | AppLinkSource | undefined;
}

export function connect(ctx: CliContext, flags: OracleSessionFlags, command: Command): OracleSession {
  const credentials = oracleCredentials(flags, ctx.redactor, (key) => command.getOptionValueSource(key));
  const dryRun = flags.dryRun ? new DryRun(ctx, flags.json === true, dryRunAnswer) : undefined;
  const make = (fetch?: typeof globalThis.fetch) =>
    createOracleDocumentsClient({
      baseUrl: flags.baseUrl,
      ...(credentials.auth !== undefined ? { auth: credentials.auth } : {}),
      ...connectionOptions(ctx, flags),
      ...(fetch !== undefined ? { fetch } : {}),
    });
  const reader = make();
  const client = dryRun !== undefined ? make(dryRun.fetch) : reader;
  // The applink's refresh goes through the reader: a dry run's reads need a live token too.
  return { client, reader, credentials, dryRun, appLink: appLinkFor(ctx, reader, credentials) };
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
