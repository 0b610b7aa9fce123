/**
 * What a bulk run says when it ends: why each file failed (the summary's causes), the commands
 * that re-run the failed IDs and resume the run, and the IDs a second Ctrl-C adds to the record.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Command } from 'commander';
import { ApiError, CancelledError, NetworkError, ValidationError } from '../index.js';
import { SECRET_FLAGS } from './credentials.js';
import { fileIdOnLine } from './file-ids.js';
import type { DeleteFlags } from './oracle-session.js';
import { plural, shellQuote } from './output.js';

/** Why an item failed, as the summary groups it. */
export function causeOf(error: Error): string {
  if (error instanceof CancelledError) return 'cancelled';
  if (error instanceof ApiError) {
    if (error.status < 200 || error.status > 299) {
      const reason = STATUS_CODES[error.status];
      return `HTTP ${error.status}${reason ? ` ${reason}` : ''}`;
    }
    const code = (error.body as { errorCode?: unknown } | undefined)?.errorCode;
    return typeof code === 'string' || typeof code === 'number'
      ? `errorCode ${code}`
      : `HTTP ${error.status}, unusable answer`;
  }
  if (error instanceof NetworkError) return 'no answer (network)';
  if (error instanceof ValidationError) return `invalid ${error.field}`;
  return error.name;
}

/**
 * The causes in a fixed order, whatever order the files finished in: HTTP statuses by code, then
 * the other causes by name, then `cancelled`.
 */
export function causesInOrder(causes: ReadonlyMap<string, number>): [string, number][] {
  const rank = (cause: string): [number, number, string] => {
    if (cause === 'cancelled') return [2, 0, cause];
    const http = /^HTTP (\d+)/.exec(cause);
    return http ? [0, Number(http[1]), cause] : [1, 0, cause];
  };
  return [...causes].sort(([a], [b]) => {
    const [ra, na, sa] = rank(a);
    const [rb, nb, sb] = rank(b);
    return ra - rb || na - nb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
}

/** The same run for the failed IDs: the flags that say what to delete, never a credential. */
export function rerunCommand(flags: DeleteFlags, command: Command, path: string): string {
  const args = ['metaclear', 'oracle', 'delete-metadata', '--collection', flags.collection];
  for (const field of flags.field) args.push('--field', field);
  const fromCli = (key: string): boolean => command.getOptionValueSource(key) === 'cli';
  if (fromCli('baseUrl')) args.push('--base-url', flags.baseUrl);
  if (fromCli('applinkId') && flags.applinkId !== undefined) args.push('--applink-id', flags.applinkId);
  if (flags.concurrency !== undefined) args.push('--concurrency', String(flags.concurrency));
  if (flags.backup === false) args.push('--no-backup');
  args.push('--files-from', path);
  return args.map(shellQuote).join(' ');
}

/** The command as it was typed, without any credential flag: re-run with the journal, it resumes. */
export function resumeCommand(argv: readonly string[]): string {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (SECRET_FLAGS.includes(arg)) {
      i++;
      continue;
    }
    if (SECRET_FLAGS.some((flag) => arg.startsWith(`${flag}=`))) continue;
    args.push(arg);
  }
  return ['metaclear', ...args].map(shellQuote).join(' ');
}

/** The IDs of a file from a byte offset on (the lines the run had not reached), synchronously. */
export function remainingIds(path: string, offset: number, each: (id: string) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let position = offset;
    let rest = '';
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      const text = rest + buffer.toString('utf8', 0, read);
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        const id = fileIdOnLine(line);
        if (id !== undefined) each(id);
      }
    }
    const id = fileIdOnLine(rest);
    if (id !== undefined) each(id);
  } finally {
    closeSync(fd);
  }
}

/** The summary's account of the adaptive concurrency. */
export interface ConcurrencyReport {
  max: number;
  lowest: number;
  final: number;
  decreases: number;
  increases: number;
}

export function concurrencyText(report: ConcurrencyReport): string | undefined {
  if (report.decreases === 0) return undefined;
  return `the server answered 429/503: concurrency lowered ${plural(report.decreases, 'time')} (down to ${report.lowest} of ${report.max}), ${report.final} at the end`;
}
