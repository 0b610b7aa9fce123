/**
 * `metaclear sandbox`: the local sandbox (src/sandbox) with the demo state of `npm run sandbox`,
 * for trying the CLI without a tenant. Runs until SIGINT or SIGTERM.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { findPackageRoot } from '../../sandbox/spec-files.js';
import { action } from '../action.js';
import type { CliContext, ProcessSignal } from '../context.js';
import { EDGE_IMPULSE_ENV, ORACLE_ENV } from '../credentials.js';
import { type InterruptedError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { watchInterrupts } from '../interrupt.js';
import { parseCount, parsePort, parseRate } from '../parsers.js';
import { shellQuote } from '../terminal/output.js';

const DEFAULT_PORT = 4010;
/** As DEMO.oracleBulkMaxFiles (demo-state.ts is loaded only when the sandbox starts). */
const ORACLE_BULK_MAX = 1_000_000;

function parseOracleFiles(value: string): number {
  const count = parseCount(value);
  if (count > ORACLE_BULK_MAX) {
    throw new InvalidArgumentError(`Expected at most ${ORACLE_BULK_MAX} files (each is held in memory).`);
  }
  return count;
}
const PEER = 'openapi-backend';

interface SandboxFlags {
  json?: true;
  port: number;
  empty?: true;
  jobThreshold?: number;
  jobPolls?: number;
  log?: true;
  rateLimit?: number;
  oracleFiles?: number;
}

/**
 * How metaclear was installed, from where its package is: globally (`npm install -g`: its folder
 * is in a node_modules that no project's package.json sits beside), in a project, or as the
 * repository itself (a clone, where the peer is a devDependency that `npm ci` installs).
 */
export function installKind(root: string): 'global' | 'project' | 'clone' {
  const parent = dirname(root);
  if (basename(parent) !== 'node_modules') {
    // A scoped install (node_modules/@scope/metaclear) has node_modules one level further up.
    if (!basename(parent).startsWith('@') || basename(dirname(parent)) !== 'node_modules') return 'clone';
    return existsSync(join(dirname(dirname(parent)), 'package.json')) ? 'project' : 'global';
  }
  return existsSync(join(dirname(parent), 'package.json')) ? 'project' : 'global';
}

/** The install command when the optional peer the sandbox validates with is missing; undefined when it is there. */
function missingPeerInstall(): string | undefined {
  const root = findPackageRoot();
  const manifest = join(root, 'package.json');
  try {
    createRequire(manifest).resolve(PEER);
    return undefined;
  } catch {
    let range: string | undefined;
    try {
      range = (JSON.parse(readFileSync(manifest, 'utf8')) as { peerDependencies?: Record<string, string> })
        .peerDependencies?.[PEER];
    } catch {
      range = undefined;
    }
    const spec = shellQuote(range ? `${PEER}@${range}` : PEER);
    switch (installKind(root)) {
      case 'global':
        return `npm install --global ${spec} (metaclear is installed globally, so the peer must be too)`;
      case 'clone':
        return `npm ci (in ${root}: the repository lists ${PEER} among its devDependencies)`;
      default:
        return `npm install --save-dev ${spec}`;
    }
  }
}

function missingPeerMessage(install: string): string {
  return `the sandbox needs ${PEER}, an optional peer dependency of metaclear, which is not installed; install it with: ${install}`;
}

/**
 * The first SIGINT/SIGTERM stops the sandbox (exit status 0); a second while it is stopping
 * exits at once (interrupt.ts), as for every command.
 */
function watchStop(ctx: CliContext): { stopped: Promise<ProcessSignal>; dispose(): void } {
  const interruption = watchInterrupts(ctx, () => undefined);
  const stopped = new Promise<ProcessSignal>((resolve) => {
    interruption.signal.addEventListener(
      'abort',
      () => resolve((interruption.signal.reason as InterruptedError).signal),
      {
        once: true,
      },
    );
  });
  return { stopped, dispose: interruption.dispose };
}

async function runSandbox(ctx: CliContext, flags: SandboxFlags): Promise<number> {
  const install = missingPeerInstall();
  if (install !== undefined) throw new UsageError(missingPeerMessage(install));
  const { stopped, dispose } = watchStop(ctx);
  try {
    return await serveUntilStopped(ctx, flags, stopped);
  } finally {
    dispose();
  }
}

async function serveUntilStopped(
  ctx: CliContext,
  flags: SandboxFlags,
  stopped: Promise<ProcessSignal>,
): Promise<number> {
  const { startSandbox } = await import('../../sandbox/index.js');
  const { DEMO, addDemoUser, seedDemoState, seedOracleFiles } = await import('../../sandbox/demo-state.js');
  const sandbox = await startSandbox({
    port: flags.port,
    ...(flags.jobThreshold !== undefined ? { jobThreshold: flags.jobThreshold } : {}),
    ...(flags.jobPolls !== undefined ? { jobPolls: flags.jobPolls } : {}),
    ...(flags.log ? { log: (line: string) => ctx.err.line(line) } : {}),
    ...(flags.rateLimit !== undefined ? { rateLimit: { requestsPerSecond: flags.rateLimit } } : {}),
  }).catch((error: unknown) => {
    if (error instanceof Error && error.message.includes(`'${PEER}'`)) {
      throw new UsageError(missingPeerMessage(`npm install --save-dev ${PEER}`));
    }
    if ((error as { code?: unknown } | null)?.code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${flags.port} on 127.0.0.1 is in use (by another sandbox or program): start on another port with --port <n>, or --port 0 for a free one`,
      );
    }
    throw error;
  });
  ctx.out.line(`metaclear sandbox listening on ${sandbox.url}`);
  ctx.out.line(`  Edge Impulse base URL: ${sandbox.edgeImpulseBaseUrl}`);
  ctx.out.line(`  Oracle base URL:       ${sandbox.oracleBaseUrl}`);
  ctx.out.line();
  if (!flags.empty) {
    seedDemoState(sandbox);
    const q = shellQuote;
    ctx.out.line(
      `Demo data: Edge Impulse project ${DEMO.edgeImpulseProjectId} with 6 samples and project ${DEMO.edgeImpulseJobProjectId} with ${DEMO.edgeImpulseJobSamples} (a clear there starts a job; any Edge Impulse credential works); the Oracle files of the docs page's examples (Oracle user ${DEMO.oracleUser}, password ${DEMO.oraclePassword}: a wrong password is refused with 401, as by the service).`,
    );
    ctx.out.line('Try, in another terminal:');
    ctx.out.line(
      `  export ${EDGE_IMPULSE_ENV.baseUrl}=${q(sandbox.edgeImpulseBaseUrl)} ${EDGE_IMPULSE_ENV.apiKey}=${q(DEMO.edgeImpulseApiKey)}`,
    );
    ctx.out.line(
      `  metaclear edge-impulse clear-metadata --project ${DEMO.edgeImpulseProjectId} --category training --key site --label idle --dry-run`,
    );
    ctx.out.line(
      `  metaclear edge-impulse clear-metadata --project ${DEMO.edgeImpulseProjectId} --category training --key site --label idle`,
    );
    ctx.out.line(
      `  metaclear edge-impulse clear-metadata --project ${DEMO.edgeImpulseJobProjectId} --category training --key batch --wait`,
    );
    ctx.out.line();
    ctx.out.line(
      `  export ${ORACLE_ENV.baseUrl}=${q(sandbox.oracleBaseUrl)} ${ORACLE_ENV.username}=${q(DEMO.oracleUser)} ${ORACLE_ENV.password}=${q(DEMO.oraclePassword)}`,
    );
    ctx.out.line(
      `  metaclear oracle delete-metadata --file ${DEMO.oracleFileId} --collection CollectionA --field A1 --field A2`,
    );
    ctx.out.line(
      `  ${ORACLE_ENV.appLinkToken}=${q(DEMO.oracleAccessToken)} metaclear oracle delete-metadata --file ${DEMO.oracleAppLinkFileId} \\`,
    );
    ctx.out.line(`    --collection ApplinkCollection --field appField1 --applink-id ${q(DEMO.oracleAppLinkId)}`);
    ctx.out.line();
  }
  if (flags.oracleFiles !== undefined && flags.oracleFiles > 0) {
    const n = flags.oracleFiles;
    addDemoUser(sandbox.oracle);
    seedOracleFiles(sandbox.oracle, n);
    const q = shellQuote;
    const fields = DEMO.oracleBulkFields.map((field) => `--field ${field}`).join(' ');
    ctx.out.line(
      `${n} Oracle files for a bulk trial (${DEMO.oracleBulkFilePrefix}1 to ${DEMO.oracleBulkFilePrefix}${n}, owned by ${DEMO.oracleUser}, with values in ${DEMO.oracleBulkCollection} ${DEMO.oracleBulkFields.join(' and ')}). List their IDs and clear them:`,
    );
    if (flags.empty) {
      ctx.out.line(
        `  export ${ORACLE_ENV.baseUrl}=${q(sandbox.oracleBaseUrl)} ${ORACLE_ENV.username}=${q(DEMO.oracleUser)} ${ORACLE_ENV.password}=${q(DEMO.oraclePassword)}`,
      );
    }
    ctx.out.line(`  seq 1 ${n} | sed 's/^/${DEMO.oracleBulkFilePrefix}/' > sandbox-file-ids.txt`);
    ctx.out.line(
      `  metaclear oracle delete-metadata --files-from sandbox-file-ids.txt --collection ${DEMO.oracleBulkCollection} ${fields}`,
    );
    ctx.out.line();
  }
  ctx.out.line('Stop it with Ctrl-C.');
  const signal = await stopped;
  ctx.out.line(`${signal}: stopping the sandbox`);
  await sandbox.close();
  return EXIT.ok;
}

export function registerSandbox(program: Command, ctx: CliContext): void {
  program
    .command('sandbox')
    .summary('start the local sandbox of both APIs, to try the CLI')
    .description(
      'Start the local sandbox: a real HTTP server on 127.0.0.1 serving both APIs from the bundled specs, ' +
        `validating every request, with demo data; prints the base URLs and commands to try. Needs ${PEER}.`,
    )
    .addOption(
      new Option('--port <n>', 'port on 127.0.0.1; 0 picks a free one').argParser(parsePort).default(DEFAULT_PORT),
    )
    .addOption(new Option('--empty', 'start without the demo data'))
    .addOption(
      new Option(
        '--oracle-files <n>',
        `also seed n Oracle files with values, for a bulk trial (at most ${ORACLE_BULK_MAX.toLocaleString('en-US')}); prints the command that lists their IDs`,
      ).argParser(parseOracleFiles),
    )
    .addOption(
      new Option('--job-threshold <n>', 'matching samples above which a clear starts a job (default 50)').argParser(
        parseCount,
      ),
    )
    .addOption(new Option('--job-polls <n>', 'status requests a job takes to finish (default 3)').argParser(parseCount))
    .addOption(new Option('--log', 'print one line per request received on stderr (method, path, status, time)'))
    .addOption(
      new Option('--rate-limit <n/s>', 'answer 429 with Retry-After to requests beyond n per second').argParser(
        parseRate,
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  metaclear sandbox                       # port ${DEFAULT_PORT}
  metaclear sandbox --port 0 --job-threshold 2 --job-polls 3
  metaclear sandbox --log --rate-limit 20/s   # see each request; refuse those beyond 20 per second
  metaclear sandbox --oracle-files 400        # 400 more Oracle files, for a bulk trial

The demo Oracle user's password is checked as the service checks it (a wrong one: 401). A port in
use fails with exit status 2: pick another with --port.

Stops on Ctrl-C (SIGINT) or SIGTERM, with exit status 0; a second one while it stops exits at once.`,
    )
    .action(action<SandboxFlags>(ctx, {}, (flags) => runSandbox(ctx, flags)));
}
