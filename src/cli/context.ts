/**
 * What the CLI needs from the world, passed in rather than reached for (process.argv, process.env,
 * process.stdout...), so that the whole program can run in-process in a test; and the context
 * every command gets: writers that keep credentials out of everything written.
 */
import type { Readable } from 'node:stream';
import type { Redactor } from '../core/redact.js';

/** A stream the CLI writes text to: process.stdout / process.stderr, or a test's buffer. */
export interface TextSink {
  write(text: string): unknown;
  /** Present on Node streams: lets long outputs wait for the buffer to drain. */
  once?(event: 'drain', listener: () => void): unknown;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The process signals the CLI reacts to. */
export type ProcessSignal = 'SIGINT' | 'SIGTERM';

export interface CliDependencies {
  /** The user's arguments (process.argv without node and the script). */
  argv: readonly string[];
  env: Environment;
  stdin: Readable;
  stdout: TextSink;
  stderr: TextSink;
  /** Whether stderr is a terminal: progress is then drawn in place (spinner, bar). */
  isTTY: boolean;
  /** Width of the stderr terminal, for the progress bar. */
  columns?: number | undefined;
  /** Where relative paths are resolved and the failed-IDs file is written by default. */
  cwd: string;
  /**
   * Subscribes to a process signal; returns the unsubscribe. While subscribed, the signal does not
   * end the process (the executable's rules for the moments with no subscriber: process-signals.ts).
   */
  onSignal(signal: ProcessSignal, handler: () => void): () => void;
  /** Ends the process at once (a second Ctrl-C). */
  exit?: ((code: number) => void) | undefined;
  /** The clock, for elapsed times and the failed-IDs file name. */
  now?: (() => number) | undefined;
  /** Shown by `metaclear --version`. */
  version?: string | undefined;
}

/** Writes text through the redactor; `line` and `json` add the newline. */
export class Writer {
  constructor(
    private readonly sink: TextSink,
    private readonly redactor: Redactor,
  ) {}

  write(text: string): void {
    this.sink.write(this.redactor.redact(text));
  }

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** One JSON document (or one JSON line) on one line. */
  json(value: unknown): void {
    this.line(JSON.stringify(value));
  }

  /** Like `line`, but waits when the stream's buffer is full: for outputs of unbounded length. */
  async lineDrained(text: string): Promise<void> {
    const ok = this.sink.write(this.redactor.redact(`${text}\n`));
    if (ok === false && this.sink.once) {
      await new Promise<void>((resolve) => this.sink.once?.('drain', resolve));
    }
  }
}

export interface CliContext {
  deps: CliDependencies;
  out: Writer;
  err: Writer;
  /** Credentials seen so far (environment, argv, and those the commands resolve). */
  redactor: Redactor;
  now(): number;
  /** Set by the command that ran. */
  exitCode: number;
  /** What the command has learnt so far (a project ID, a job ID), for the --json document of any outcome. */
  facts: Record<string, unknown>;
  /** What a second Ctrl-C writes before the process ends, when the command has nothing more specific (its --json document). */
  onForce?: ((signal: ProcessSignal) => void) | undefined;
}

export function createContext(deps: CliDependencies, redactor: Redactor): CliContext {
  return {
    deps,
    redactor,
    out: new Writer(deps.stdout, redactor),
    err: new Writer(deps.stderr, redactor),
    now: deps.now ?? Date.now,
    exitCode: 0,
    facts: {},
  };
}
