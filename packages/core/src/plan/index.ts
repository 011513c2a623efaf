export { EpochCursor } from './cursor.js';
export { deliveredPositions, remainingAfter, type ShardProgress } from './elastic.js';
export {
  EpochPlan,
  type EpochPlanInput,
  type PlannedBatch,
  type PlanSource,
} from './epoch-plan.js';
export { idsFingerprint, sourcesFingerprint } from './fingerprint.js';
export { type GlobalOrder, type GlobalOrderInput, globalOrder } from './global-order.js';
export { epochPermutation } from './permutation.js';
export { SeededRandom } from './prng.js';
export {
  normalizeRanges,
  type Range,
  rangesLength,
  sliceRanges,
  subtractRanges,
} from './ranges.js';
export { shardBatchCount, shardRange } from './shard.js';
export { type Layout, type ShardSlice, shardSlice, slicePositions } from './shard-slice.js';
export { type SourceShare, sourceCounts } from './source-counts.js';
