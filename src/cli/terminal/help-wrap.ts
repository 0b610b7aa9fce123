/**
 * Help text fitted to 80 columns, so that a terminal of that width shows it as written, not
 * wrapped mid-word at its edge. A paragraph written wider is reflowed; a row ("  124  text") is
 * wrapped under its text, a comment ("  # text") as a comment; an example command is broken with a
 * trailing backslash, so that it still runs when pasted. Lines that fit are left as they are.
 */
export const HELP_WIDTH = 80;

interface Group {
  lines: string[];
  command: boolean;
}

export function wrapHelp(text: string, width = HELP_WIDTH): string {
  const out: string[] = [];
  for (const { lines, command } of groups(text.split('\n'))) {
    if (lines.every((line) => line.length <= width)) out.push(...lines);
    else {
      // Reflowed as one: the lines of a paragraph (or a row and its continuations) joined, then wrapped.
      const [first = '', ...rest] = lines;
      out.push(wrapLine([first, ...rest.map((line) => line.trim())].join(' '), width, command));
    }
  }
  return out.join('\n');
}

const indentOf = (line: string): number => /^\s*/.exec(line)?.[0].length ?? 0;
const endsCommand = (line: string): boolean => !line.trimEnd().endsWith('\\');

/**
 * The lines in groups that read as one: a paragraph (lines at the margin, up to a blank line or an
 * indented one), or an indented row with the lines indented further that continue it. An example
 * command's lines (from `metaclear` to the line that does not end with a backslash) are one each.
 */
function groups(lines: string[]): Group[] {
  const result: Group[] = [];
  let inCommand = false;
  for (const line of lines) {
    if (inCommand || line.trimStart().startsWith('metaclear ')) {
      result.push({ lines: [line], command: true });
      inCommand = !endsCommand(line);
      continue;
    }
    const last = result.at(-1);
    const head = last?.command ? undefined : last?.lines[0];
    const continues =
      head !== undefined &&
      line.trim() !== '' &&
      head.trim() !== '' &&
      !head.trimEnd().endsWith(':') &&
      !line.trimStart().startsWith('#') &&
      (indentOf(head) === 0 ? indentOf(line) === 0 : indentOf(line) > indentOf(head));
    if (continues) last?.lines.push(line);
    else result.push({ lines: [line], command: false });
  }
  return result;
}

function wrapLine(line: string, width: number, command: boolean): string {
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const text = line.slice(indent.length);
  let hanging: string;
  if (command) hanging = `${indent}    `;
  else if (text.startsWith('# ')) hanging = `${indent}# `;
  // A row ("  124  text", "  -x, --flag  text"): continue under its text.
  else hanging = /^(\s*\S+\s{2,})/.exec(line)?.[1]?.replace(/\S/g, ' ') ?? indent;
  const limit = command ? width - 2 : width;
  const words = text.split(' ');
  const out: string[] = [];
  let current = `${indent}${words.shift() ?? ''}`;
  for (const word of words) {
    const candidate = `${current} ${word}`;
    if (candidate.length > limit && current.trim() !== '' && !(command && word === '\\')) {
      out.push(command ? `${current} \\` : current);
      current = `${hanging}${word}`;
    } else current = candidate;
  }
  out.push(current);
  return out.join('\n');
}
