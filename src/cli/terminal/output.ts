/** The output flags every API command has, and small helpers for what commands print. */
import { type Command, Option } from 'commander';

export interface OutputFlags {
  json?: true;
  dryRun?: true;
}

const GROUP = 'Output:';

/** --json and --dry-run; `jsonLines: false` for a command that prints one JSON document, never JSON lines. */
export function addOutputOptions(command: Command, { jsonLines = true }: { jsonLines?: boolean } = {}): Command {
  const json = jsonLines ? 'JSON; JSON lines in bulk mode' : 'one JSON document';
  return command
    .addOption(new Option('--json', `machine-readable output on stdout (${json})`).helpGroup(GROUP))
    .addOption(
      new Option(
        '--dry-run',
        'print the HTTP request(s) that would be sent, credentials redacted; send nothing',
      ).helpGroup(GROUP),
    );
}

/** `n thing` / `n things`. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** Quotes an argument for a POSIX shell when it needs it, for the commands the CLI suggests. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
