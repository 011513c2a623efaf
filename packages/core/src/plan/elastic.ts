import { normalizeRanges, type Range, sliceRanges, subtractRanges } from './ranges.js';
import { type Layout, shardSlice } from './shard-slice.js';

/**
 * What one shard has delivered of its slice, in rows of the shard's epoch
 * (row `r` of batch `b` is row `b * batchSize + r`; rows at or past the
 * slice's length are padding). Rows `[0, delivered)` are done, and so are
 * the `window` ranges past it: the open out-of-order window, rows handed
 * over before some earlier row (whole batches with batch-level `ooo`, any
 * rows with row-level `ooo`).
 */
export interface ShardProgress {
  readonly shardId: number;
  readonly delivered: number;
  readonly window: readonly Range[];
}

/** The global positions a shard's progress covers (padding rows cover none). */
export function deliveredPositions(layout: Layout, progress: ShardProgress): Range[] {
  const slice = shardSlice(layout, progress.shardId);
  const rows = normalizeRanges([[0, progress.delivered], ...progress.window]);
  const out: Range[] = [];
  for (const [s, e] of rows) {
    const hi = Math.min(e, slice.length);
    if (s < hi) out.push(...sliceRanges(slice.ranges, s, hi));
  }
  return out;
}

/**
 * The positions of a layout's epoch that no shard delivered, given the
 * progress of every shard of the layout. Resuming under any number of shards
 * lays exactly these out as a new layout, so nothing is repeated or skipped.
 */
export function remainingAfter(layout: Layout, progress: readonly ShardProgress[]): Range[] {
  const done = progress.flatMap((p) => deliveredPositions(layout, p));
  return subtractRanges(normalizeRanges(layout.remaining), normalizeRanges(done));
}
