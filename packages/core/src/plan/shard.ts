/**
 * Sharding as DALI does it: shard `k` of `numShards` owns the positions
 * `[floor(k * n / numShards), floor((k + 1) * n / numShards))` of the epoch
 * permutation. The slices are disjoint, cover all `n` samples, and differ in
 * length by at most one; `shardBatchCount` then gives every shard the same
 * number of batches so that data-parallel ranks step together.
 */
export function shardRange(
  n: number,
  shardId: number,
  numShards: number,
): { start: number; end: number } {
  return {
    start: Math.floor((shardId * n) / numShards),
    end: Math.floor(((shardId + 1) * n) / numShards),
  };
}

/**
 * Batches per epoch, identical for every shard:
 * - `padLastBatch`: enough batches for the largest shard, `ceil(ceil(n / numShards) / batchSize)`;
 *   shorter shards and the last batch are filled by repeating the shard's last sample.
 * - otherwise: only full batches of the smallest shard, `floor(floor(n / numShards) / batchSize)`;
 *   the remaining samples of each shard are not delivered this epoch (with shuffling,
 *   different ones each epoch).
 */
export function shardBatchCount(
  n: number,
  numShards: number,
  batchSize: number,
  padLastBatch: boolean,
): number {
  if (padLastBatch) return Math.ceil(Math.ceil(n / numShards) / batchSize);
  return Math.floor(Math.floor(n / numShards) / batchSize);
}
