/** Order statistics of timing samples, shared by the benchmarks. */

/** The sample at quantile `q` (0.5 the median, 0.99 the p99). */
export function percentile(samples: readonly number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export function stats(samples: readonly number[]): { median: number; p99: number } {
  return { median: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}
