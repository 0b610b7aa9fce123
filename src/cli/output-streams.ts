/**
 * stdout and stderr as the CLI writes to them. When the reader goes away (EPIPE: `metaclear … |
 * head`, a consumer that crashed) or the stream otherwise fails, Node reports an 'error' event,
 * which unhandled would end the CLI with a stack trace in the middle of a run, before the files in
 * flight are recorded. Here the stream is marked gone and what is written to it later is dropped:
 * the command goes on to its end, its files (failed IDs, journal) record it, and the exit status
 * is the one it decides. A failure other than EPIPE is said once on the other stream.
 */
import type { TextSink } from './context.js';

/** The part of a Node writable stream this uses (process.stdout, process.stderr). */
export interface OutputStream {
  write(text: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
}

export interface GuardedOutput {
  sink: TextSink;
  /** Whether the stream has failed (its later output is dropped). */
  gone(): boolean;
}

export function guardOutput(stream: OutputStream, name: string, other: () => GuardedOutput | undefined): GuardedOutput {
  let failed = false;
  stream.on('error', (error) => {
    if (failed) return;
    failed = true;
    const peer = other();
    if (error.code !== 'EPIPE' && peer && !peer.gone()) {
      peer.sink.write(`metaclear: ${name}: ${error.code ?? error.message}; its further output is lost\n`);
    }
  });
  return {
    gone: () => failed,
    sink: {
      write: (text) => (failed ? true : stream.write(text)),
      // A wait for 'drain' also ends if the stream fails (and so closes): it never hangs.
      once: (_event, listener) => {
        let called = false;
        const once = (): void => {
          if (called) return;
          called = true;
          listener();
        };
        stream.once('drain', once);
        stream.once('close', once);
      },
    },
  };
}
