/** A failure of a pipeline step: says what was wrong, where, and what was expected. */
export class PipelineError extends Error {
  /** Why it failed, or what was expected instead. */
  readonly reason: string | undefined;
  /** One line per finding (file:line:col severity rule message), when there are several. */
  readonly findings: readonly string[];

  constructor(message: string, options: { reason?: string; findings?: readonly string[] } = {}) {
    const lines = [
      options.reason ? `${message}: ${options.reason}` : message,
      ...(options.findings ?? []).map((f) => `  ${f}`),
    ];
    super(lines.join('\n'));
    this.name = 'PipelineError';
    this.reason = options.reason;
    this.findings = options.findings ?? [];
  }
}
