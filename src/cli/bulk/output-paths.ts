/**
 * Checks an output path before the first request is sent: its folder exists and is writable, it
 * is not the input (or another output of the run), and it is not an existing file unless the
 * operator asked for that (`--overwrite`, or a journal, which is appended to by design).
 *
 * And names the files the CLI writes when the operator names none, by one scheme:
 *   metaclear-<what>-<UTC time>.<ext>, in the current folder, e.g.
 *   metaclear-backup-oracle-20261204T100000Z.jsonl
 *   metaclear-backup-edge-impulse-<project>-20261204T100000Z.jsonl
 *   metaclear-failed-20261204T100000Z.txt
 * (`-2`, `-3`... before the extension when a run of the same second has the name); and beside a
 * journal: `<journal>.backup.jsonl`, `<journal>.lock`. The repository's .gitignore lists them.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface OutputPathRules {
  /** Paths the output must not be (the input file, the other outputs), each with its flag. */
  others: readonly { flag: string; path: string | undefined }[];
  /** An existing file may be used (replaced, or appended to). */
  existingAllowed: boolean;
  /** Added to the message when the file exists and existingAllowed is false. */
  existingHint: string;
}

/** `20250102T030405Z`: UTC, sortable, no characters a file system refuses. */
export function utcStamp(time: number): string {
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `metaclear-<what>-<UTC time>.<ext>`, with `-<n>` before the extension for the n-th of one second. */
export function defaultOutputName(what: string, time: number, ext: string, n = 1): string {
  return `metaclear-${what}-${utcStamp(time)}${n === 1 ? '' : `-${n}`}.${ext}`;
}

/** The default name (see defaultOutputName) no file in `cwd` has yet (at most 100 tried). */
export function freeDefaultName(cwd: string, what: string, time: number, ext: string): string {
  for (let n = 1; ; n++) {
    const name = defaultOutputName(what, time, ext, n);
    if (!existsSync(resolve(cwd, name)) || n >= 100) return name;
  }
}

function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** A folder the CLI will create a file in: it exists and is writable. `what` starts the message. */
export function checkFolder(what: string, folder: string): void {
  try {
    if (!statSync(folder).isDirectory()) throw new UsageError(`${what}: ${folder} is not a folder`);
    accessSync(folder, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `${what}: the folder ${folder} does not exist`
        : `${what}: cannot write in ${folder} (${code ?? (error as Error).message})`,
    );
  }
}

/** The absolute path, once checked; a UsageError naming the flag when it cannot be used. */
export function checkOutputPath(flag: string, spec: string, cwd: string, rules: OutputPathRules): string {
  const path = resolve(cwd, spec);
  for (const other of rules.others) {
    if (other.path !== undefined && sameFile(path, other.path)) {
      throw new UsageError(`${flag} ${spec} is the same file as ${other.flag}; choose another path`);
    }
  }
  checkFolder(`${flag} ${spec}`, dirname(path));
  let exists = false;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(`${flag} ${spec} is a folder; expected a file path`);
    exists = true;
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  if (exists && !rules.existingAllowed) throw new UsageError(`${flag} ${spec} already exists; ${rules.existingHint}`);
  if (exists) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw new UsageError(`${flag} ${spec}: cannot write it (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  return path;
}
