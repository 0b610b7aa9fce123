/**
 * Runs a command's action: its result, or its error reported on stderr, becomes the exit status
 * (commander's own usage errors are handled where the program is parsed). With --json, an error
 * also prints the command's one JSON document on stdout.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { exitCodeFor, type FieldFlags, InterruptedError, reportError } from './errors.js';
import { commandName, failureDocument } from './terminal/json-output.js';

export function action<O extends { json?: true }>(
  ctx: CliContext,
  flags: FieldFlags,
  run: (options: O, command: Command) => Promise<number>,
): (...args: unknown[]) => Promise<void> {
  // commander passes the command's arguments first (restore <backup>), then its options and itself.
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    const options = args[args.length - 2] as O;
    ctx.onForce = (signal) => {
      const error = new InterruptedError(signal);
      if (options.json) failureDocument(ctx, commandName(command), error, exitCodeFor(error));
    };
    try {
      ctx.exitCode = await run(options, command);
    } catch (error) {
      ctx.exitCode = reportError(error, ctx.err, flags);
      if (options.json) failureDocument(ctx, commandName(command), error, ctx.exitCode);
    }
  };
}
