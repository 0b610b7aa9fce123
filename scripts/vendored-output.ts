/**
 * The last step of both extraction entries (specs:extract, specs:extract-operation): write the
 * vendored files all at once, or with --check compare them with what is committed.
 */
import { relative } from 'node:path';
import { readIfExists, writeFilesAtomically } from './files.js';

export interface VendoredOutput {
  /** Compare instead of writing. */
  check: boolean;
  /** The command that brings stale files up to date, for the --check message. */
  rerun: string;
  /** What was extracted, for the closing line (e.g. "operation getJobStatus"). */
  what: string;
}

/** Writes `files` (path → content), or checks them; returns the exit status. */
export function writeOrCheckVendored(files: ReadonlyMap<string, string>, options: VendoredOutput): number {
  const show = (p: string): string => relative(process.cwd(), p) || p;
  if (options.check) {
    const stale = [...files].filter(([path, content]) => readIfExists(path) !== content).map(([path]) => path);
    for (const path of stale) process.stderr.write(`stale: ${show(path)}\n`);
    if (stale.length > 0) {
      process.stderr.write(`run "${options.rerun}" to update\n`);
      return 1;
    }
    process.stdout.write(`up to date: ${[...files.keys()].map(show).join(', ')}\n`);
    return 0;
  }
  writeFilesAtomically(files);
  process.stdout.write(`wrote ${[...files.keys()].map(show).join(', ')} (${options.what})\n`);
  return 0;
}
