/** Summary statistics for repeated measurements: median, percentiles, spread. */

export interface Summary {
  /** Number of samples. */
  n: number;
  median: number;
  min: number;
  max: number;
  /** 25th and 75th percentiles. */
  p25: number;
  p75: number;
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) of the samples, by linear interpolation between the
 * closest ranks (the method of numpy's default and of spreadsheet PERCENTILE.INC).
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  return {
    n: samples.length,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    p25: percentile(samples, 25),
    p75: percentile(samples, 75),
  };
}

/** Applies `f` to every statistic of a summary (e.g. to divide a time by a count). */
export function scale(summary: Summary, f: (value: number) => number): Summary {
  return {
    n: summary.n,
    median: f(summary.median),
    min: f(summary.min),
    max: f(summary.max),
    p25: f(summary.p25),
    p75: f(summary.p75),
  };
}
