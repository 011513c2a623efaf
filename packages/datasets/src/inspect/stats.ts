/** Size distribution of a sample of values. */
export interface SizeStats {
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly max: number;
}

/** Nearest-rank percentiles (no interpolation: a reported size is one that occurred). */
export function sizeStats(sizes: readonly number[]): SizeStats | null {
  if (sizes.length === 0) return null;
  const sorted = [...sizes].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return {
    count: sorted.length,
    min: sorted[0] ?? 0,
    median: rank(0.5),
    p90: rank(0.9),
    max: sorted[sorted.length - 1] ?? 0,
  };
}
