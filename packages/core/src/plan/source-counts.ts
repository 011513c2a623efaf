/** How much of one source an epoch takes: at most one of the three (none means `repeat: 1`). */
export interface SourceShare {
  /** Ids in the source. */
  readonly size: number;
  /** Relative share of the epoch, normalized over the weighted sources. */
  readonly weight?: number | undefined;
  /** Fraction of the epoch; proportions are normalized like weights (the schema checks they sum to 1). */
  readonly proportion?: number | undefined;
  /** Samples per epoch as a multiple of the source's size (2 = every id twice, 0.5 = half of them). */
  readonly repeat?: number | undefined;
}

/**
 * Samples each source contributes to one epoch, as MosaicML Streaming does
 * with `proportion`/`repeat`: `repeat` sources take `round(repeat * size)`
 * (a source with no share at all is `repeat: 1`);
 * weighted sources share what is left of `epochSize` in proportion to their
 * weights, rounded by largest remainder so the counts add up exactly. Without
 * `epochSize` the epoch is as long as all sources together (their sizes, or
 * `repeat * size` for repeat sources).
 */
export function sourceCounts(sources: readonly SourceShare[], epochSize?: number): number[] {
  const counts = sources.map(fixedCount);
  const weights = sources.map((s) => s.weight ?? s.proportion ?? 0);
  const fixed = counts.reduce((a, b) => a + b, 0);
  const natural = sources.reduce(
    (t, s, i) => t + (isWeighted(s) ? s.size : (counts[i] as number)),
    0,
  );
  const total = epochSize ?? natural;
  const rest = total - fixed;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum === 0) {
    if (epochSize !== undefined && rest !== 0)
      throw new RangeError(
        `epochSize ${epochSize} differs from the ${fixed} samples the repeat sources give; drop epochSize or weight a source.`,
      );
    return counts;
  }
  if (rest < 0)
    throw new RangeError(
      `epochSize ${total} is smaller than the ${fixed} samples the repeat sources take.`,
    );
  const exact = weights.map((w) => (w * rest) / weightSum);
  const shares = exact.map(Math.floor);
  let left = rest - shares.reduce((a, b) => a + b, 0);
  // Largest remainder first; ties go to the earlier source, so the result is deterministic.
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .filter(({ i }) => (weights[i] as number) > 0)
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    shares[i] = (shares[i] as number) + 1;
    left--;
  }
  return counts.map((c, i) => c + (shares[i] as number));
}

function isWeighted(s: SourceShare): boolean {
  return s.weight !== undefined || s.proportion !== undefined;
}

/** Samples of a source whose count does not depend on the others: `repeat`, or all of it. */
function fixedCount(s: SourceShare): number {
  if (s.repeat !== undefined) return Math.round(s.repeat * s.size);
  return isWeighted(s) ? 0 : s.size;
}
