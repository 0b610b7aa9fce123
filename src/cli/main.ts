#!/usr/bin/env node
/** The `metaclear` executable: runs the CLI with this process's arguments, environment and streams. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '../sandbox/spec-files.js';
import { runCli } from './program.js';

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  // Only touched by --files-from -: an unused stdin is never opened.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
  cwd: process.cwd(),
  onSignal: (signal, handler) => {
    process.on(signal, handler);
    return () => {
      process.off(signal, handler);
    };
  },
  exit: (code) => process.exit(code),
  version: packageVersion(),
}).then(
  (code) => {
    process.exitCode = code;
    // The work is done and recorded: a late Ctrl-C (one meant for the run, arriving as it ends)
    // ends the process with the status already decided rather than as killed by the signal.
    const exit = (): void => process.exit(code);
    process.once('SIGINT', exit);
    process.once('SIGTERM', exit);
  },
  () => {
    process.stderr.write('metaclear: internal error\n');
    process.exitCode = 1;
  },
);
