/**
 * Flags every API command has for the wire: the attempt timeout, the number of retries, and
 * --verbose, which logs each request, its status and duration, and each retry with its wait on
 * stderr, through the client's public options (openapi-fetch middleware and onRetry); and the
 * proxy the environment names. What is logged goes through the CLI's redactor, and no header is
 * ever logged.
 */
import { type Command, Option } from 'commander';
import type { Middleware } from 'openapi-fetch';
import { requireProxy } from '../core/connections.js';
import type { EdgeImpulseClientOptions, OracleDocumentsClientOptions } from '../index.js';
import type { CliContext } from './context.js';
import { parseCount, parseSeconds } from './parsers.js';

export interface ConnectionFlags {
  attemptTimeout?: number;
  retries?: number;
  verbose?: true;
}

const GROUP = 'Connection:';

export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--attempt-timeout <seconds>', 'time allowed for one attempt, answer included (default 30)')
        .argParser(parseSeconds)
        .helpGroup(GROUP),
    )
    .addOption(
      new Option('--retries <n>', 'retries after a failed attempt (429, 5xx, network, timeout; default 2; 0: none)')
        .argParser(parseCount)
        .helpGroup(GROUP),
    )
    .addOption(
      new Option(
        '--verbose',
        'log each request, its status and duration, and each retry and its wait on stderr (credentials are never logged)',
      ).helpGroup(GROUP),
    );
}

const ms = (value: number): string => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`);

/** The client options both clients share (the public ones this module sets). */
type WireOptions = Pick<
  EdgeImpulseClientOptions & OracleDocumentsClientOptions,
  'middleware' | 'onRetry' | 'retry' | 'timeoutMs' | 'proxy' | 'noProxy'
>;

const target = (request: Request): string => request.url;

function verboseOptions(ctx: CliContext): Pick<WireOptions, 'middleware' | 'onRetry'> {
  const started = new Map<string, number>();
  const middleware: Middleware = {
    onRequest({ request, id }) {
      started.set(id, ctx.now());
      ctx.err.line(`> ${request.method} ${target(request)}`);
      return undefined;
    },
    onResponse({ request, response, id }) {
      const began = started.get(id);
      started.delete(id);
      const took = began === undefined ? '' : ` in ${ms(ctx.now() - began)}`;
      ctx.err.line(`< ${response.status} ${request.method} ${target(request)}${took}`);
      return undefined;
    },
    onError({ request, error, id }) {
      const began = started.get(id);
      started.delete(id);
      const took = began === undefined ? '' : ` after ${ms(ctx.now() - began)}`;
      ctx.err.line(`< no answer ${request.method} ${target(request)}${took}: ${(error as Error)?.message ?? error}`);
      return undefined;
    },
  };
  return {
    middleware: [middleware],
    onRetry: ({ attempt, delayMs, status, error }) => {
      const why = status !== undefined ? `HTTP ${status}` : (error?.message ?? 'no answer');
      ctx.err.line(`  attempt ${attempt} failed (${why}); retrying in ${ms(delayMs)}`);
    },
  };
}

/**
 * The proxy of the CLI's environment (HTTPS_PROXY or https_proxy, NO_PROXY or no_proxy), checked
 * and named by its variable; its credentials are kept out of the output like any other.
 */
function proxyOptions(ctx: CliContext): Pick<WireOptions, 'proxy' | 'noProxy'> {
  const env = ctx.deps.env;
  const name = env.HTTPS_PROXY ? 'HTTPS_PROXY' : env.https_proxy ? 'https_proxy' : undefined;
  const noProxy = env.NO_PROXY || env.no_proxy || '';
  if (name === undefined) return { proxy: false, noProxy };
  const url = env[name] as string;
  ctx.redactor.add(...requireProxy(name, url).secrets);
  return { proxy: url, noProxy };
}

/** The client options the flags and the environment ask for. */
export function connectionOptions(ctx: CliContext, flags: ConnectionFlags): WireOptions {
  return {
    ...proxyOptions(ctx),
    ...(flags.attemptTimeout !== undefined ? { timeoutMs: Math.max(1, Math.round(flags.attemptTimeout * 1000)) } : {}),
    ...(flags.retries !== undefined ? { retry: { retries: flags.retries } } : {}),
    ...(flags.verbose ? verboseOptions(ctx) : {}),
  };
}
