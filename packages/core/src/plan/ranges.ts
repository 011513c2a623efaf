/**
 * Half-open ranges `[start, end)` of positions in an epoch's global order.
 * Resume state is written in ranges rather than per-sample lists, so it stays
 * a few numbers however large the epoch: a layout of `n` shards leaves at
 * most `n` undelivered tails (plus the open out-of-order window).
 */
export type Range = readonly [start: number, end: number];

/** Sorted, disjoint, non-empty and with touching ranges joined. */
export function normalizeRanges(ranges: Iterable<Range>): Range[] {
  const sorted = [...ranges].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Positions covered by `ranges` (assumed disjoint). */
export function rangesLength(ranges: readonly Range[]): number {
  let total = 0;
  for (const [s, e] of ranges) total += e - s;
  return total;
}

/** `a` minus `b`; both normalized. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const [start, end] of a) {
    let s = start;
    while (j < b.length && (b[j] as Range)[1] <= s) j++;
    let k = j;
    while (s < end && k < b.length && (b[k] as Range)[0] < end) {
      const [bs, be] = b[k] as Range;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      k++;
    }
    if (s < end) out.push([s, end]);
  }
  return out;
}

/**
 * The sub-ranges of `base` at virtual offsets `[from, to)`, where the ranges
 * of `base` are laid end to end and numbered from 0. This is how a shard's
 * slice of "what is left of the epoch" maps back to global positions.
 */
export function sliceRanges(base: readonly Range[], from: number, to: number): Range[] {
  const out: Range[] = [];
  let offset = 0;
  for (const [s, e] of base) {
    const length = e - s;
    const lo = Math.max(from, offset);
    const hi = Math.min(to, offset + length);
    if (lo < hi) out.push([s + lo - offset, s + hi - offset]);
    offset += length;
    if (offset >= to) break;
  }
  return out;
}

/** Checks that `value` is a list of `[start, end)` pairs of non-negative integers within `[0, limit]`. */
export function isRangeList(value: unknown, limit: number): value is Range[] {
  return (
    Array.isArray(value) &&
    value.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 2 &&
        Number.isInteger(r[0]) &&
        Number.isInteger(r[1]) &&
        (r[0] as number) >= 0 &&
        (r[0] as number) < (r[1] as number) &&
        (r[1] as number) <= limit,
    )
  );
}
