/**
 * stdout and stderr as the CLI writes to them. When the reader goes away (EPIPE: `metaclear … |
 * head`, a consumer that crashed) or the stream otherwise fails, Node reports an 'error' event,
 * which unhandled would end the CLI with a stack trace in the middle of a run, before the files in
 * flight are recorded. Here the stream is marked gone and what is written to it later is dropped:
 * the command goes on to its end, its files (failed IDs, journal) record it, and the exit status
 * is the one it decides. A failure of stdout other than EPIPE (a full disk) is said once on stderr;
 * a failure of stderr is said nowhere (stdout may carry --json, which a stray line would break).
 */
import type { TextSink } from '../context.js';

/** The part of a Node writable stream this uses (process.stdout, process.stderr). */
export interface OutputStream {
  write(text: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

export interface GuardedOutput {
  /** What the CLI writes to: drops its text once the stream has failed. */
  sink: TextSink;
}

/** `report`: where a failure other than EPIPE is said (once), if anywhere. */
export function guardOutput(stream: OutputStream, report?: (failure: NodeJS.ErrnoException) => void): GuardedOutput {
  let failed = false;
  stream.on('error', (error) => {
    if (failed) return;
    failed = true;
    if (error.code !== 'EPIPE') report?.(error);
  });
  return {
    sink: {
      write: (text) => (failed ? true : stream.write(text)),
      // A wait for 'drain' also ends if the stream fails (and so closes): it never hangs.
      once: (_event, listener) => {
        const once = (): void => {
          stream.off('drain', once);
          stream.off('close', once);
          listener();
        };
        stream.once('drain', once);
        stream.once('close', once);
      },
    },
  };
}
