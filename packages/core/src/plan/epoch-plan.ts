import { epochPermutation } from './permutation.js';
import { shardBatchCount, shardRange } from './shard.js';

/** Everything that decides which ids a shard reads in which order during one epoch. */
export interface EpochPlanInput {
  /** The dataset: `n` ids of 16 bytes each, packed back to back. */
  readonly ids: Uint8Array;
  readonly seed: number;
  readonly epoch: number;
  readonly shuffle: boolean;
  readonly shardId: number;
  readonly numShards: number;
  readonly batchSize: number;
  readonly padLastBatch: boolean;
}

/** One planned batch: the keys to fetch, padding included. */
export interface PlannedBatch {
  readonly index: number;
  /** `size * 16` bytes. */
  readonly keys: Uint8Array;
  readonly size: number;
  /** Trailing rows of `keys` that repeat the shard's last sample. */
  readonly padding: number;
}

/**
 * One shard's epoch: the seeded permutation of the whole dataset, this
 * shard's slice of it, cut into batches. Pure and cheap to rebuild, which is
 * what makes resume exact: a new process recomputes the same plan from the
 * saved `(seed, epoch)` and skips the batches already delivered.
 */
export class EpochPlan {
  readonly epoch: number;
  readonly batchCount: number;
  readonly batchSize: number;
  /** Dataset indices of this shard's samples, in delivery order (no padding). */
  readonly order: Uint32Array;
  readonly #ids: Uint8Array;

  constructor(input: EpochPlanInput) {
    if (input.ids.length % 16 !== 0) throw new RangeError('ids must hold 16 bytes per id');
    const n = input.ids.length / 16;
    if (n < input.numShards) {
      throw new RangeError(
        `The id list has ${n} id(s), fewer than numShards (${input.numShards}): every shard needs at least one id.`,
      );
    }
    const permutation = epochPermutation(n, input.seed, input.epoch, input.shuffle);
    const { start, end } = shardRange(n, input.shardId, input.numShards);
    this.epoch = input.epoch;
    this.batchSize = input.batchSize;
    this.batchCount = shardBatchCount(n, input.numShards, input.batchSize, input.padLastBatch);
    this.order = permutation.subarray(start, end);
    this.#ids = input.ids;
  }

  /** Samples delivered this epoch, padding included. */
  get rows(): number {
    return this.batchCount * this.batchSize;
  }

  /** Padding rows in the whole epoch (only ever in the last batch(es)). */
  get paddingRows(): number {
    return Math.max(0, this.rows - this.order.length);
  }

  batch(index: number): PlannedBatch {
    if (!Number.isInteger(index) || index < 0 || index >= this.batchCount) {
      throw new RangeError(`batch index ${index} out of range [0, ${this.batchCount})`);
    }
    const size = this.batchSize;
    const first = index * size;
    const keys = new Uint8Array(size * 16);
    const last = this.order.length - 1;
    let padding = 0;
    for (let r = 0; r < size; r++) {
      const position = first + r;
      if (position > last) padding++;
      const sample = this.order[Math.min(position, last)] as number;
      keys.set(this.#ids.subarray(sample * 16, sample * 16 + 16), r * 16);
    }
    return { index, keys, size, padding };
  }
}
