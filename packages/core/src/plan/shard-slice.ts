import { type Range, rangesLength, sliceRanges } from './ranges.js';
import { shardBatchCount, shardRange } from './shard.js';

/** How the positions still to deliver in an epoch are divided among shards. */
export interface Layout {
  /** Positions of the epoch's global order left when this layout started: the whole epoch, or what a resume left. */
  readonly remaining: readonly Range[];
  readonly numShards: number;
  readonly batchSize: number;
  readonly padLastBatch: boolean;
}

/** One shard's part of a layout. */
export interface ShardSlice {
  /** Global positions of the shard's samples, in delivery order, as ranges. */
  readonly ranges: readonly Range[];
  /** Samples in the slice (padding excluded). */
  readonly length: number;
  /** Batches the shard yields; the same for every shard of the layout. */
  readonly batchCount: number;
  /** Global position that padding rows repeat: the slice's last sample, or the layout's last if the slice is empty; -1 if the layout is empty. */
  readonly padPosition: number;
}

/**
 * Shard `k` of a layout takes the `k`-th contiguous share of the remaining
 * positions laid end to end (`shardRange`, so shares differ by at most one
 * sample), and every shard yields `shardBatchCount` batches. A fresh epoch is
 * the layout whose `remaining` is the whole epoch, which gives exactly the
 * DALI-style shards cassdl always had.
 */
export function shardSlice(layout: Layout, shardId: number): ShardSlice {
  const total = rangesLength(layout.remaining);
  const { start, end } = shardRange(total, shardId, layout.numShards);
  const ranges = sliceRanges(layout.remaining, start, end);
  const last = ranges[ranges.length - 1] ?? layout.remaining[layout.remaining.length - 1];
  return {
    ranges,
    length: end - start,
    batchCount:
      total === 0
        ? 0
        : shardBatchCount(total, layout.numShards, layout.batchSize, layout.padLastBatch),
    padPosition: last === undefined ? -1 : last[1] - 1,
  };
}

/** The slice's global positions as one array (row `r` of the shard is sample `positions[r]`). */
export function slicePositions(slice: ShardSlice): Uint32Array {
  const positions = new Uint32Array(slice.length);
  let r = 0;
  for (const [s, e] of slice.ranges) for (let p = s; p < e; p++) positions[r++] = p;
  return positions;
}
