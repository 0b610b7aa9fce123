/**
 * What a bulk run says when it ends, whichever way it ends (done, Ctrl-C, a second Ctrl-C, a
 * record that cannot be written, the credential refused, a bad input line): what was done, what
 * was not, and the exact commands that re-run the failures and resume the run. One builder for
 * every exit path, in words or as the --json summary line.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SECRET_FLAGS } from '../credentials.js';
import { plural, shellQuote } from '../terminal/output.js';
import { printable } from '../terminal/printable.js';
import type { BulkCounts } from './counts.js';
import { modeText } from './record-file.js';

/**
 * The causes in a fixed order, whatever order the files finished in: HTTP statuses by code, then
 * the other causes by name, then `other` (the causes beyond the first MAX_CAUSES), then `cancelled`.
 */
export function causesInOrder(causes: ReadonlyMap<string, number>): [string, number][] {
  const rank = (cause: string): [number, number, string] => {
    if (cause === 'cancelled') return [3, 0, cause];
    if (cause === 'other') return [2, 0, cause];
    const http = /^HTTP (\d+)/.exec(cause);
    return http ? [0, Number(http[1]), cause] : [1, 0, cause];
  };
  return [...causes].sort(([a], [b]) => {
    const [ra, na, sa] = rank(a);
    const [rb, nb, sb] = rank(b);
    return ra - rb || na - nb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
}

/**
 * The same run for the failed IDs, built from the command as it was typed (as resumeCommand is),
 * so that every flag that says what to delete and how gently (--max-rate, --max-auth-failures,
 * --retries, --attempt-timeout, --concurrency...) is kept; never a credential. `--files-from`
 * names the failed-IDs file; --journal and --from-line (which belong to the first input),
 * --failed-out and --backup (the re-run writes a failed-IDs file and a backup of its own: an
 * existing backup is never written over) are dropped.
 */
export function rerunCommand(argv: readonly string[], path: string): string {
  const args: string[] = [];
  const dropped = ['--journal', '--from-line', '--failed-out', '--backup'];
  let given = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (SECRET_FLAGS.includes(arg) || dropped.includes(arg)) {
      i++;
      continue;
    }
    if ([...SECRET_FLAGS, ...dropped].some((flag) => arg.startsWith(`${flag}=`))) continue;
    if (arg === '--overwrite') continue;
    if (arg === '--files-from' || arg.startsWith('--files-from=')) {
      if (arg === '--files-from') i++;
      args.push('--files-from', path);
      given = true;
      continue;
    }
    args.push(arg);
  }
  if (!given) args.push('--files-from', path);
  return ['metaclear', ...args].map(shellQuote).join(' ');
}

/** `failed.txt` → `failed-2.txt` (or -3...): a path that does not exist yet, spelled as given. */
export function nextFreePath(spec: string, cwd: string): string {
  const dot = spec.lastIndexOf('.');
  const slash = spec.lastIndexOf('/');
  const [stem, ext] = dot > slash + 1 ? [spec.slice(0, dot), spec.slice(dot)] : [spec, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!existsSync(resolve(cwd, candidate))) return candidate;
  }
}

/** Flags that take a value, among those the commands below rewrite. */
const REWRITTEN = ['--failed-out', '--from-line', '--backup'];

/**
 * The command as it was typed, without any credential flag, that runs as printed: `--failed-out`
 * names a file that does not exist yet (the one given exists now) and `--overwrite` is dropped;
 * `fromLine`, when given, replaces any --from-line (the rest of an input run without a journal),
 * and then `--backup` names a new file too (a backup is appended to only by the resume of its
 * journal; without one, the path given exists now and would be refused).
 */
export function resumeCommand(argv: readonly string[], cwd: string, fromLine?: number): string {
  const args: string[] = [];
  let failedOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (SECRET_FLAGS.includes(arg)) {
      i++;
      continue;
    }
    if (SECRET_FLAGS.some((flag) => arg.startsWith(`${flag}=`))) continue;
    if (arg === '--overwrite') continue;
    const rewritten = REWRITTEN.find((flag) => arg === flag || arg.startsWith(`${flag}=`));
    if (rewritten !== undefined) {
      const value = arg === rewritten ? argv[++i] : arg.slice(rewritten.length + 1);
      if (rewritten === '--failed-out' && value !== undefined) failedOut = value;
      if (rewritten === '--from-line' && fromLine === undefined && value !== undefined) args.push('--from-line', value);
      if (rewritten === '--backup' && value !== undefined) {
        args.push('--backup', fromLine === undefined ? value : nextFreePath(value, cwd));
      }
      continue;
    }
    args.push(arg);
  }
  if (failedOut !== undefined) args.push('--failed-out', nextFreePath(failedOut, cwd));
  if (fromLine !== undefined) args.push('--from-line', String(fromLine));
  return ['metaclear', ...args].map(shellQuote).join(' ');
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

/** Why a run stopped before its input was done, when it did. */
export type BulkStop =
  | { kind: 'interrupted'; signal: 'SIGINT' | 'SIGTERM' }
  | { kind: 'forced'; signal: 'SIGINT' | 'SIGTERM' }
  | { kind: 'record'; path: string; code: string }
  | { kind: 'credential'; inARow: number; cause: string }
  | { kind: 'input'; message: string };

/** Everything the summary says: built once, printed in words or as JSON. */
export interface BulkOutcome {
  counts: BulkCounts;
  /** Done in an earlier run, per the journal. */
  skipped: number;
  causes: ReadonlyMap<string, number>;
  stop: BulkStop | undefined;
  /** After a second Ctrl-C: the files in flight, written to the failed-IDs file. */
  notFinished: number | undefined;
  /** The input not run: from this line on (undefined when all of it was taken). */
  notRunFrom: number | undefined;
  inputName: string;
  failedFile: string | undefined;
  rerun: string | undefined;
  journal: string | undefined;
  resume: string | undefined;
  /** Without a journal: the command that runs the input from the line not run on. */
  rest: string | undefined;
  /** Existing records (journal, failed-IDs file) this run made private (0600): each with the permissions it had. */
  madePrivate?: { path: string; mode: number }[];
  /** Records that could not be written: the file and the lines it lacks. */
  unrecorded: { path: string; lines: string[] } | undefined;
  concurrency: ConcurrencyReport;
  exitCode: number;
}

function stopText(stop: BulkStop, cancelled: number): string {
  switch (stop.kind) {
    case 'interrupted':
      return `Interrupted (${stop.signal}).`;
    case 'forced':
      return `Interrupted (${stop.signal} twice): exited at once; the files in flight are listed as not finished.`;
    case 'record':
      return `Stopped: cannot write ${stop.path} (${stop.code}); the run ended there, its calls in flight finished or cancelled.`;
    case 'credential':
      return `Stopped: ${stop.inARow} answers in a row refused the credential (${stop.cause}); no more files were started; ${cancelled} in flight ${cancelled === 1 ? 'was' : 'were'} cancelled. Check the credential and its rights (--max-auth-failures 0 never stops).`;
    case 'input':
      return `Stopped: ${stop.message}.`;
  }
}

/** An existing record made private by this run, in words. */
export const madePrivateLine = (path: string, mode: number): string =>
  `Made private (0600): ${path} (it was ${modeText(mode)}: others could read it).`;

/** The summary, as the operator reads it (stdout). */
export function summaryLines(outcome: BulkOutcome, stdin: boolean): string[] {
  const { counts } = outcome;
  const out: string[] = [];
  if (outcome.stop) out.push(stopText(outcome.stop, counts.cancelled));
  const causeText = causesInOrder(outcome.causes)
    .map(([cause, n]) => `${n} ${cause}`)
    .join(', ');
  const skipped = outcome.skipped > 0 ? `, ${outcome.skipped} skipped (done in an earlier run, per the journal)` : '';
  const notFinished = outcome.notFinished !== undefined ? `, ${outcome.notFinished} not finished` : '';
  out.push(
    `${plural(counts.total + (outcome.notFinished ?? 0), 'file')}: ${counts.succeeded} succeeded, ${counts.failed + counts.cancelled} failed${causeText ? ` (${causeText})` : ''}${notFinished}${skipped}.`,
  );
  if (outcome.notRunFrom !== undefined) {
    out.push(`Not run: ${outcome.inputName} from line ${outcome.notRunFrom} on (not read).`);
  }
  if (outcome.unrecorded !== undefined && outcome.unrecorded.lines.length > 0) {
    out.push(`Not written to ${outcome.unrecorded.path} (${plural(outcome.unrecorded.lines.length, 'line')}):`);
    for (const line of outcome.unrecorded.lines) out.push(`  ${printable(line)}`);
  }
  for (const file of outcome.madePrivate ?? []) out.push(madePrivateLine(file.path, file.mode));
  const adaptive = concurrencyText(outcome.concurrency);
  if (adaptive) out.push(`Rate: ${adaptive}.`);
  if (outcome.failedFile !== undefined && (counts.failed + counts.cancelled > 0 || outcome.notFinished)) {
    out.push(`Failed file IDs written to ${outcome.failedFile}`);
  }
  if (outcome.rerun !== undefined) {
    out.push('Re-run them with:');
    out.push(`  ${outcome.rerun}`);
  }
  if (outcome.resume !== undefined) {
    out.push(
      `Resume the run (the journal skips the files that succeeded; those that failed or were cancelled are run again${stdin ? '; give it the same input on stdin' : ''}) with:`,
    );
    out.push(`  ${outcome.resume}`);
  } else if (outcome.rest !== undefined) {
    out.push(`Run the rest of the input${stdin ? ' (the same input on stdin)' : ''} with:`);
    out.push(`  ${outcome.rest}`);
  }
  return out;
}

/** The --json summary line. */
export function summaryJson(outcome: BulkOutcome): Record<string, unknown> {
  const { counts } = outcome;
  const stop = outcome.stop;
  return {
    summary: {
      total: counts.total + (outcome.notFinished ?? 0),
      succeeded: counts.succeeded,
      failed: counts.failed + counts.cancelled,
      cancelled: counts.cancelled,
      skipped: outcome.skipped,
      ...(outcome.notFinished !== undefined ? { notFinished: outcome.notFinished } : {}),
      causes: Object.fromEntries(causesInOrder(outcome.causes)),
      interrupted: stop?.kind === 'interrupted' || stop?.kind === 'forced' ? stop.signal : null,
      stopped: stop === undefined ? null : { reason: stop.kind, message: stopText(stop, counts.cancelled) },
      notRunFromLine: outcome.notRunFrom ?? null,
      failedFile: outcome.failedFile ?? null,
      rerun: outcome.rerun ?? null,
      journal: outcome.journal ?? null,
      resume: outcome.resume ?? null,
      rest: outcome.rest ?? null,
      unrecorded: outcome.unrecorded ?? null,
      concurrency: outcome.concurrency,
      exitCode: outcome.exitCode,
    },
  };
}
