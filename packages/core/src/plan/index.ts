export { EpochCursor } from './cursor.js';
export { EpochPlan, type EpochPlanInput, type PlannedBatch } from './epoch-plan.js';
export { idsFingerprint } from './fingerprint.js';
export { epochPermutation } from './permutation.js';
export { SeededRandom } from './prng.js';
export { shardBatchCount, shardRange } from './shard.js';
