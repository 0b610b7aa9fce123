/** A failure of a pipeline step: says what was wrong, where, and what was expected. */
export class PipelineError extends Error {
  /** Why it failed, or what was expected instead. */
  readonly reason: string | undefined;
  /** One line per finding (file:line:col severity rule message), when there are several. */
  readonly findings: readonly string[];
  /**
   * The exit status of an entry that ends with this error: 1 (the work failed), or 2 (an input
   * could not be read as asked, e.g. the `--base` of a CI gate).
   */
  readonly exitCode: number;

  constructor(message: string, options: { reason?: string; findings?: readonly string[]; exitCode?: number } = {}) {
    const lines = [
      options.reason ? `${message}: ${options.reason}` : message,
      ...(options.findings ?? []).map((f) => `  ${f}`),
    ];
    super(lines.join('\n'));
    this.name = 'PipelineError';
    this.reason = options.reason;
    this.findings = options.findings ?? [];
    this.exitCode = options.exitCode ?? 1;
  }
}
