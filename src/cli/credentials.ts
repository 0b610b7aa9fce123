/**
 * Credentials: flags and environment variables for each API, turned into the facade's `auth`.
 * Values are never written anywhere: no defaults are shown in help, no parser echoes them, and
 * every value is handed to the redactor as soon as it is known.
 */
import { type Command, Option } from 'commander';
import type { Redactor } from '../core/redact.js';
import { type AppLink, EDGE_IMPULSE_BASE_URL, type EdgeImpulseAuth, type OracleDocumentsAuth } from '../index.js';
import type { Environment } from './context.js';
import { UsageError } from './errors.js';

export const EDGE_IMPULSE_ENV = {
  apiKey: 'EDGE_IMPULSE_API_KEY',
  jwtToken: 'EDGE_IMPULSE_JWT_TOKEN',
  bearerToken: 'EDGE_IMPULSE_BEARER_TOKEN',
  baseUrl: 'EDGE_IMPULSE_BASE_URL',
} as const;

export const ORACLE_ENV = {
  baseUrl: 'OCM_BASE_URL',
  username: 'OCM_USERNAME',
  password: 'OCM_PASSWORD',
  bearerToken: 'OCM_BEARER_TOKEN',
  appLinkId: 'OCM_APPLINK_ID',
  appLinkToken: 'OCM_APPLINK_TOKEN',
  appLinkRefreshToken: 'OCM_APPLINK_REFRESH_TOKEN',
} as const;

/** Flags whose value is a secret, and the variables that hold one. */
export const SECRET_FLAGS = [
  '--api-key',
  '--jwt-token',
  '--bearer-token',
  '--password',
  '--applink-token',
  '--applink-refresh-token',
];
const SECRET_ENV = [
  EDGE_IMPULSE_ENV.apiKey,
  EDGE_IMPULSE_ENV.jwtToken,
  EDGE_IMPULSE_ENV.bearerToken,
  ORACLE_ENV.password,
  ORACLE_ENV.bearerToken,
  ORACLE_ENV.appLinkToken,
  ORACLE_ENV.appLinkRefreshToken,
];

/**
 * Tells the redactor every credential visible before parsing: in the environment, and after a
 * secret flag (`--api-key X`, `--api-key=X`), so that even commander's own messages cannot leak one.
 */
export function registerVisibleSecrets(argv: readonly string[], env: Environment, redactor: Redactor): void {
  for (const name of SECRET_ENV) redactor.add(env[name]);
  redactor.addBasic(env[ORACLE_ENV.username], env[ORACLE_ENV.password]);
  argv.forEach((arg, i) => {
    for (const flag of SECRET_FLAGS) {
      if (arg === flag) redactor.add(argv[i + 1]);
      else if (arg.startsWith(`${flag}=`)) redactor.add(arg.slice(flag.length + 1));
    }
  });
}

const GROUP = 'Credentials and endpoint (prefer the environment variables; values are never printed):';

export interface EdgeImpulseCredentialOptions {
  apiKey?: string;
  jwtToken?: string;
  bearerToken?: string;
  baseUrl: string;
}

export function addEdgeImpulseCredentialOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--api-key <key>', 'API key (sent as x-api-key)').env(EDGE_IMPULSE_ENV.apiKey).helpGroup(GROUP),
    )
    .addOption(
      new Option('--jwt-token <token>', 'JWT (sent as x-jwt-token)').env(EDGE_IMPULSE_ENV.jwtToken).helpGroup(GROUP),
    )
    .addOption(
      new Option('--bearer-token <token>', 'OAuth2 bearer token').env(EDGE_IMPULSE_ENV.bearerToken).helpGroup(GROUP),
    )
    .addOption(
      new Option('--base-url <url>', 'API root')
        .env(EDGE_IMPULSE_ENV.baseUrl)
        .default(EDGE_IMPULSE_BASE_URL)
        .helpGroup(GROUP),
    );
}

/** Where commander took an option's value from: a flag on the command line wins over its variable. */
export type ValueSource = (key: string) => string | undefined;

const EDGE_IMPULSE_KINDS = [
  { key: 'apiKey', flag: '--api-key', env: EDGE_IMPULSE_ENV.apiKey },
  { key: 'jwtToken', flag: '--jwt-token', env: EDGE_IMPULSE_ENV.jwtToken },
  { key: 'bearerToken', flag: '--bearer-token', env: EDGE_IMPULSE_ENV.bearerToken },
] as const;

/**
 * The one credential to use: a flag given on the command line overrides every variable; two
 * flags, or (without a flag) two variables, are refused rather than one picked silently.
 */
export function edgeImpulseAuth(
  options: EdgeImpulseCredentialOptions,
  redactor: Redactor,
  source: ValueSource,
): EdgeImpulseAuth {
  redactor.add(options.apiKey, options.jwtToken, options.bearerToken);
  const given = EDGE_IMPULSE_KINDS.filter((kind) => options[kind.key] !== undefined);
  const flags = given.filter((kind) => source(kind.key) === 'cli');
  if (flags.length > 1) {
    throw new UsageError(`${flags.map((k) => k.flag).join(' and ')} cannot be used together; give one credential`);
  }
  if (flags.length === 0 && given.length > 1) {
    throw new UsageError(
      `${given.map((k) => k.env).join(' and ')} are both set; set one (or pass one credential as a flag, which overrides them)`,
    );
  }
  const chosen = flags[0] ?? given[0];
  if (chosen !== undefined) {
    const value = options[chosen.key] as string;
    return chosen.key === 'apiKey'
      ? { apiKey: value }
      : chosen.key === 'jwtToken'
        ? { jwtToken: value }
        : { bearerToken: value };
  }
  throw new UsageError(
    `no Edge Impulse credential: set ${EDGE_IMPULSE_ENV.apiKey}, ${EDGE_IMPULSE_ENV.jwtToken} or ${EDGE_IMPULSE_ENV.bearerToken} (or pass --api-key, --jwt-token or --bearer-token)`,
  );
}

export interface OracleCredentialOptions {
  baseUrl: string;
  username?: string;
  password?: string;
  bearerToken?: string;
  applinkId?: string;
  applinkToken?: string;
  applinkRefreshToken?: string;
}

export function addOracleCredentialOptions(command: Command, options: { baseUrlRequired?: boolean } = {}): Command {
  const required = options.baseUrlRequired !== false;
  const baseUrl = new Option(
    '--base-url <url>',
    required
      ? 'API root, e.g. https://tenant.example.com/documents/api/1.1 (required)'
      : "API root: the one the backup's header names (required: the credential goes only to a root given)",
  )
    .env(ORACLE_ENV.baseUrl)
    .helpGroup(GROUP);
  return command
    .addOption(required ? baseUrl.makeOptionMandatory() : baseUrl)
    .addOption(
      new Option('--username <name>', 'HTTP Basic user name (with --password)')
        .env(ORACLE_ENV.username)
        .helpGroup(GROUP),
    )
    .addOption(
      new Option('--password <password>', 'HTTP Basic password (with --username)')
        .env(ORACLE_ENV.password)
        .helpGroup(GROUP),
    )
    .addOption(new Option('--bearer-token <token>', 'OAuth bearer token').env(ORACLE_ENV.bearerToken).helpGroup(GROUP))
    .addOption(
      new Option('--applink-id <id>', 'applink ID, for a file under a folder that is not yours (with --applink-token)')
        .env(ORACLE_ENV.appLinkId)
        .helpGroup(GROUP),
    )
    .addOption(
      new Option('--applink-token <token>', "the applink's access token (with --applink-id)")
        .env(ORACLE_ENV.appLinkToken)
        .helpGroup(GROUP),
    )
    .addOption(
      new Option(
        '--applink-refresh-token <token>',
        "the applink's refresh token: when the access token expires (15 minutes), a new one is fetched with it, once per expiry",
      )
        .env(ORACLE_ENV.appLinkRefreshToken)
        .helpGroup(GROUP),
    );
}

export interface OracleCredentials {
  auth: OracleDocumentsAuth | undefined;
  appLink: AppLink | undefined;
  /** The applink's refresh token (--applink-refresh-token), if given. */
  refreshToken: string | undefined;
}

/**
 * Bearer or HTTP Basic: a flag on the command line overrides the variables of the other kind
 * (`--bearer-token` with OCM_USERNAME set uses the token); both kinds as flags, or both kinds in
 * the environment without a flag, are refused.
 */
export function oracleCredentials(
  options: OracleCredentialOptions,
  redactor: Redactor,
  source: ValueSource,
): OracleCredentials {
  redactor.add(options.password, options.bearerToken, options.applinkToken, options.applinkRefreshToken);
  redactor.addBasic(options.username, options.password);
  const fromCli = (key: keyof OracleCredentialOptions) => options[key] !== undefined && source(key) === 'cli';
  const bearerFlag = fromCli('bearerToken');
  const basicFlag = fromCli('username') || fromCli('password');
  const hasBasic = options.username !== undefined || options.password !== undefined;
  if (bearerFlag && basicFlag) {
    throw new UsageError('--bearer-token cannot be used with --username/--password; give one credential');
  }
  if (!bearerFlag && !basicFlag && options.bearerToken !== undefined && hasBasic) {
    throw new UsageError(
      `${ORACLE_ENV.bearerToken} and ${ORACLE_ENV.username}/${ORACLE_ENV.password} are both set; set one kind (or pass one as a flag, which overrides them)`,
    );
  }
  const useBearer = bearerFlag || (!basicFlag && options.bearerToken !== undefined);
  let auth: OracleDocumentsAuth | undefined;
  if (useBearer) auth = { bearerToken: options.bearerToken as string };
  else if (options.username !== undefined && options.password !== undefined) {
    auth = { username: options.username, password: options.password };
  } else if (options.username !== undefined || options.password !== undefined) {
    throw new UsageError(
      `HTTP Basic needs both a user name and a password: set ${ORACLE_ENV.username} and ${ORACLE_ENV.password} (or pass --username and --password)`,
    );
  }
  let appLink: AppLink | undefined;
  if (options.applinkId !== undefined && options.applinkToken !== undefined) {
    appLink = { id: options.applinkId, accessToken: options.applinkToken };
  } else if (options.applinkId !== undefined || options.applinkToken !== undefined) {
    throw new UsageError(
      `an applink needs both its ID and its access token: --applink-id (${ORACLE_ENV.appLinkId}) and --applink-token (${ORACLE_ENV.appLinkToken})`,
    );
  }
  if (options.applinkRefreshToken !== undefined && appLink === undefined) {
    throw new UsageError(
      `--applink-refresh-token (${ORACLE_ENV.appLinkRefreshToken}) refreshes an applink's access token: add --applink-id (${ORACLE_ENV.appLinkId}) and --applink-token (${ORACLE_ENV.appLinkToken})`,
    );
  }
  if (auth === undefined && appLink === undefined) {
    throw new UsageError(
      `no Oracle credential: set ${ORACLE_ENV.username} and ${ORACLE_ENV.password}, or ${ORACLE_ENV.bearerToken}, or use an applink (--applink-id with ${ORACLE_ENV.appLinkToken})`,
    );
  }
  return { auth, appLink, refreshToken: options.applinkRefreshToken };
}
