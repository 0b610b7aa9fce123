/**
 * What `--json` prints: one JSON document for every outcome of a command (success or not), or,
 * in bulk mode, one JSON line per file as it finishes and then a summary line. Every document
 * that ends a run carries `exitCode`; the shapes are described by docs/cli-json.schema.json.
 */
import { ApiError, JobFailedError, JobTimeoutError, NetworkError, ValidationError } from '../../index.js';
import type { CliContext } from '../context.js';

/** The error as JSON: its kind and message, and what the facade's typed errors carry (never a credential). */
export function errorJson(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...(error instanceof ApiError
      ? {
          operationId: error.operationId,
          status: error.status,
          ...(error.requestId ? { requestId: error.requestId } : {}),
        }
      : {}),
    ...(error instanceof NetworkError ? { operationId: error.operationId } : {}),
    ...(error instanceof ValidationError ? { field: error.field } : {}),
  };
}

/** `edge-impulse clear-metadata`, from the command that ran. */
export function commandName(command: { name(): string; parent: { name(): string; parent: unknown } | null }): string {
  const parent = command.parent;
  return parent && parent.parent !== null ? `${parent.name()} ${command.name()}` : command.name();
}

/** The document of a run that ended in an error: with what was known (a job ID...) when it did. */
export function failureDocument(ctx: CliContext, command: string | undefined, error: unknown, exitCode: number): void {
  const job = error instanceof JobFailedError || error instanceof JobTimeoutError ? error.job : undefined;
  ctx.out.json({
    ...(command !== undefined ? { command } : {}),
    ok: false,
    exitCode,
    ...ctx.facts,
    ...(job !== undefined ? { job } : {}),
    error: errorJson(error),
  });
}

/** The document of a run that succeeded. */
export function successDocument(ctx: CliContext, command: string, details: Record<string, unknown>): void {
  ctx.out.json({ command, ok: true, exitCode: 0, ...ctx.facts, ...details });
}
