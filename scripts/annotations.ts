/**
 * GitHub Actions workflow commands (`::error file=...,title=...::message`): how the pipeline's
 * entries annotate a pull request with `--format github-actions`.
 */

/** Escapes a workflow command's message (data). */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a workflow command's property value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

export interface Where {
  file?: string | undefined;
  line?: number | undefined;
  col?: number | undefined;
  title?: string | undefined;
}

/** One workflow command line, e.g. `::error file=a.yaml,line=3,title=lint::...`. */
export function annotation(level: 'error' | 'warning' | 'notice', where: Where, message: string): string {
  const properties = [
    where.file === undefined ? undefined : `file=${escapeProperty(where.file)}`,
    where.line === undefined ? undefined : `line=${where.line}`,
    where.col === undefined ? undefined : `col=${where.col}`,
    where.title === undefined ? undefined : `title=${escapeProperty(where.title)}`,
  ].filter((p) => p !== undefined);
  return `::${level}${properties.length > 0 ? ` ${properties.join(',')}` : ''}::${escapeData(message)}`;
}

/** A finding as lint.ts and overlays.ts format it: `file:line:col severity rule: message`. */
const FINDING = /^\s*(\S+?):(\d+):(\d+) (\S+) (.*)$/;

/**
 * The `::error` lines of a failed run: one per finding (lint, overlay) on its file and line,
 * and one for the rest of the message, so that no failure goes unannotated.
 */
export function failureAnnotations(entry: string, message: string): string {
  const lines: string[] = [];
  const rest: string[] = [];
  for (const line of message.split('\n')) {
    const finding = FINDING.exec(line);
    if (finding) {
      const [, file, row, col, severity, text] = finding as unknown as [string, string, string, string, string, string];
      lines.push(
        annotation(
          severity === 'warn' || severity === 'warning' ? 'warning' : 'error',
          {
            file,
            line: Number(row),
            col: Number(col),
            title: `${entry} failed`,
          },
          text,
        ),
      );
    } else if (line.trim() !== '') rest.push(line.trim());
  }
  if (rest.length > 0) lines.unshift(annotation('error', { title: `${entry} failed` }, rest.join('\n')));
  return `${lines.join('\n')}\n`;
}
