/**
 * The commander program, built from injected dependencies (see context.ts) so that it runs in a
 * test as it runs from the shell; and `runCli`, which parses the arguments and returns the exit status.
 */
import { type Command, CommanderError } from 'commander';
import { Redactor } from '../core/redact.js';
import { registerEdgeImpulse } from './commands/edge-impulse.js';
import { EnvCommand } from './commands/env-command.js';
import { registerOracle } from './commands/oracle.js';
import { registerRestore, routeRestore } from './commands/restore.js';
import { registerSandbox } from './commands/sandbox.js';
import { type CliContext, type CliDependencies, createContext } from './context.js';
import { registerVisibleSecrets } from './credentials.js';
import { reportError, USAGE_HINT, UsageError } from './errors.js';
import { EXIT, exitCodesHelp } from './exit-codes.js';
import { wrapHelp } from './terminal/help-wrap.js';
import { failureDocument } from './terminal/json-output.js';

export function createProgram(ctx: CliContext): Command {
  const program = new EnvCommand(ctx.deps.env, 'metaclear')
    .description(
      'Clear metadata in Edge Impulse projects and Oracle Content Management files, from the command line.\n' +
        'Credentials come from environment variables (or flags) and are never printed.',
    )
    .configureOutput({
      // Help and the version: the help fitted to 80 columns (its texts are written wider).
      writeOut: (text) => ctx.out.write(wrapHelp(text)),
      writeErr: (text) => ctx.err.write(text),
    })
    .exitOverride()
    .showHelpAfterError(USAGE_HINT);
  if (ctx.deps.version !== undefined) program.version(ctx.deps.version, '-V, --version', 'print the version');
  program.addHelpText(
    'after',
    `
Examples:
  metaclear edge-impulse clear-metadata --project 1 --category training --key reviewer --label idle --wait
  metaclear oracle delete-metadata --file <file-id> --collection CollectionA --field A1 --field A2
  metaclear oracle delete-metadata --files-from ids.txt --collection CollectionA --field A1
  metaclear sandbox --port 4010

Add --dry-run to see the HTTP request(s) without sending them, --json for machine-readable output,
and --help to any command for its flags and environment variables.

${exitCodesHelp()}`,
  );
  registerEdgeImpulse(program, ctx);
  registerOracle(program, ctx);
  registerRestore(program, ctx);
  registerSandbox(program, ctx);
  return program;
}

/** Whether --json was asked for, before (or whether or not) the arguments could be parsed. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs the CLI once; resolves to the exit status. Never rejects. */
export async function runCli(deps: CliDependencies): Promise<number> {
  const redactor = new Redactor();
  registerVisibleSecrets(deps.argv, deps.env, redactor);
  const ctx = createContext(deps, redactor);
  try {
    await createProgram(ctx).parseAsync([...routeRestore(deps.argv, deps.cwd)], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    // commander has written its message (usage errors) or the help/version (exit code 0).
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      if (wantsJson(deps.argv)) {
        failureDocument(ctx, undefined, new UsageError(error.message.replace(/^error: /, '')), EXIT.usage);
      }
      return EXIT.usage;
    }
    const exitCode = reportError(error, ctx.err);
    if (wantsJson(deps.argv)) failureDocument(ctx, undefined, error, exitCode);
    return exitCode;
  }
}
