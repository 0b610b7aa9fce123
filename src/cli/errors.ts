/**
 * Errors as the operator sees them: one line on stderr, and an exit status that says which kind
 * (see exit-codes.ts). The facade's typed errors are named in the words of the command line: a
 * ValidationError on `filter.minLength` is reported against `--min-length`.
 */
import { JobFailedError, JobTimeoutError, ValidationError } from '../index.js';
import type { Writer } from './context.js';
import { EXIT } from './exit-codes.js';

/** Flags that cannot work together, or a missing one: found by the CLI, nothing was sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The reason a signal aborted the run with. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}`);
  }
}

export const USAGE_HINT = '(add --help for usage)';

/** Facade input fields → the flags they come from; a field under a prefix keeps its suffix (`--ids[2]`). */
export type FieldFlags = Readonly<Record<string, string>>;

export function flagFor(field: string, flags: FieldFlags): string | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(flags)) {
    const under = field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
    if (under && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : `${flags[best]}${field.slice(best.length)}`;
}

function validationMessage(error: ValidationError, flags: FieldFlags): string {
  const flag = flagFor(error.field, flags);
  if (flag === undefined || !error.message.startsWith(error.field)) return error.message;
  return `${flag}${error.message.slice(error.field.length)}`;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof InterruptedError) return error.signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  if (error instanceof UsageError || error instanceof ValidationError) return EXIT.usage;
  if (error instanceof JobTimeoutError) return EXIT.timedOut;
  return EXIT.failed;
}

/** Writes the error's one-line message to stderr and returns the exit status. */
export function reportError(error: unknown, err: Writer, flags: FieldFlags = {}): number {
  if (error instanceof UsageError) {
    err.line(`error: ${error.message}`);
    err.line(USAGE_HINT);
  } else if (error instanceof ValidationError) {
    err.line(`error: ${validationMessage(error, flags)}`);
    err.line(USAGE_HINT);
  } else if (error instanceof JobFailedError) {
    const why = error.job.additionalInfo ? `: ${error.job.additionalInfo}` : '';
    err.line(`error: ${error.message}${why}`);
  } else {
    err.line(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
  return exitCodeFor(error);
}
