/**
 * The one runner of the pipeline's entries (generate, lint-specs, specs-update, extract-page,
 * extract-operation): it parses the arguments strictly, answers `--help` / `-h` with the usage
 * line, refuses an unknown flag, a flag without its value or an unexpected argument with the
 * usage line and exit 2 before any work, and turns what the entry returns or throws into the
 * exit status: the number returned; 1 for a thrown error, or the `exitCode` a PipelineError
 * carries (2: the input could not be read as asked, e.g. `--base`). Every message starts with
 * the entry's npm script name; with `--format github-actions`, a usage error is also an
 * `::error` line on stdout.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { annotation } from './annotations.js';
import { PipelineError } from './errors.js';

type Config = Pick<ParseArgsConfig, 'options' | 'allowPositionals'>;
export type Parsed<C extends Config> = ReturnType<typeof parseArgs<C & { args: string[]; strict: true }>>;

export interface Entry<C extends Config> {
  /** The npm script, e.g. `lint:specs`: the first word of every message. */
  name: string;
  /** `usage: npm run <name> ...`, printed by --help and after a usage error. */
  usage: string;
  /** The options and positionals it takes (node:util parseArgs, strict). */
  args: C;
  /** What a failure leaves, said before its message, e.g. "failed; nothing written". */
  failure?: string;
}

/** A usage error: parseArgs's own message, lower-cased and without its advice. */
function usageMessage(error: Error): string {
  const first = error.message.split(/\.(\s|$)/)[0] ?? error.message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

function isUsageError(error: unknown): error is Error {
  return error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
}

/** True when the arguments ask for GitHub Actions output: a usage error is annotated too. */
function asksForAnnotations(argv: readonly string[]): boolean {
  return argv.some(
    (arg, i) => arg === '--format=github-actions' || (arg === '--format' && argv[i + 1] === 'github-actions'),
  );
}

/** Runs `main` with the parsed arguments of this process and sets its exit status. */
export function runEntry<const C extends Config>(
  entry: Entry<C>,
  main: (parsed: Parsed<C>) => number | Promise<number>,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    process.stdout.write(`${entry.usage}\n`);
    process.exitCode = 0;
    return Promise.resolve();
  }
  let parsed: Parsed<C>;
  try {
    parsed = parseArgs({ ...entry.args, args: argv, strict: true }) as Parsed<C>;
  } catch (error) {
    if (!isUsageError(error)) throw error;
    process.stderr.write(`${entry.name}: ${usageMessage(error)}\n${entry.usage}\n`);
    if (asksForAnnotations(beforeDashes)) {
      process.stdout.write(`${annotation('error', { title: `${entry.name} usage` }, usageMessage(error))}\n`);
    }
    process.exitCode = 2;
    return Promise.resolve();
  }
  return (async () => main(parsed))().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${entry.name}: ${entry.failure ? `${entry.failure}\n` : ''}${message}\n`);
      process.exitCode = error instanceof PipelineError ? error.exitCode : 1;
    },
  );
}
