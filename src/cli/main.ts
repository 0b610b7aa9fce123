#!/usr/bin/env node
/** The `metaclear` executable: runs the CLI with this process's arguments, environment and streams. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '../sandbox/spec-files.js';
import { processSignals } from './process-signals.js';
import { runCli } from './program.js';
import { guardOutput } from './terminal/streams.js';

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

// Installed before anything else runs: no moment of the run leaves SIGINT/SIGTERM to Node's default.
const signals = processSignals(process);

// A reader that goes away (`| head`) neither crashes nor stops the run: see terminal/streams.ts.
const stderr = guardOutput(process.stderr);
const stdout = guardOutput(process.stdout, (failure) =>
  stderr.sink.write(`metaclear: stdout: ${failure.code ?? failure.message}; its further output is lost\n`),
);

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  // Only touched by --files-from -: an unused stdin is never opened.
  get stdin() {
    return process.stdin;
  },
  stdout: stdout.sink,
  stderr: stderr.sink,
  isTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
  cwd: process.cwd(),
  onSignal: signals.onSignal,
  exit: signals.exit,
  version: packageVersion(),
}).then(
  // The work is done and recorded: a late Ctrl-C (one meant for the run, arriving as it ends)
  // ends the process with the status already decided rather than as killed by the signal.
  (code) => signals.finish(code),
  () => {
    stderr.sink.write('metaclear: internal error\n');
    signals.finish(1);
  },
);
