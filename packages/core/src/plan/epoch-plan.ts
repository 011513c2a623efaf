import { type GlobalOrder, globalOrder } from './global-order.js';
import type { Range } from './ranges.js';
import { type Layout, type ShardSlice, shardSlice, slicePositions } from './shard-slice.js';
import { type SourceShare, sourceCounts } from './source-counts.js';

/** One source of samples: its packed ids and its share of each epoch. */
export interface PlanSource extends Omit<SourceShare, 'size'> {
  /** `n` ids of 16 bytes each, packed back to back. */
  readonly ids: Uint8Array;
}

/** Everything that decides which ids a shard reads in which order during one epoch. */
export interface EpochPlanInput {
  /** One source read once per epoch: `n` ids of 16 bytes each. Give this or `sources`. */
  readonly ids?: Uint8Array | undefined;
  /** Weighted sources mixed into one epoch (see `sourceCounts`). */
  readonly sources?: readonly PlanSource[] | undefined;
  /** Epoch length when the sources are weighted; default: the sources' sizes added up. */
  readonly epochSize?: number | undefined;
  readonly seed: number;
  readonly epoch: number;
  readonly shuffle: boolean;
  readonly shardId: number;
  readonly numShards: number;
  readonly batchSize: number;
  readonly padLastBatch: boolean;
  /** Positions of the global order still to deliver (after an elastic resume); default the whole epoch. */
  readonly remaining?: readonly Range[] | undefined;
}

/** One planned batch: the keys to fetch, padding included. */
export interface PlannedBatch {
  readonly index: number;
  /** `size * 16` bytes. */
  readonly keys: Uint8Array;
  readonly size: number;
  /** Trailing rows of `keys` that repeat the shard's last sample. */
  readonly padding: number;
  /** Source index of each row (padding included); null or absent with one source. */
  readonly sources?: Uint16Array | null;
  /** Sources of the plan; absent when it was planned from a plain `ids` list. */
  readonly sourceCount?: number;
}

/**
 * One shard's epoch: the epoch's global order (a pure function of the seed,
 * the epoch and the sources, independent of the shards), this shard's slice
 * of what is left of it, cut into batches. Pure and cheap to rebuild, which
 * is what makes resume exact, also under another number of shards: a new
 * process recomputes the same global order and lays out the positions no old
 * shard delivered.
 */
export class EpochPlan {
  readonly epoch: number;
  readonly batchCount: number;
  readonly batchSize: number;
  /** The epoch's order before sharding. */
  readonly global: GlobalOrder;
  readonly layout: Layout;
  readonly slice: ShardSlice;
  /** Samples each source gives this epoch (one entry with one source). */
  readonly sourceCounts: readonly number[];
  /** Global positions of this shard's samples in delivery order (no padding). */
  readonly positions: Uint32Array;
  /** Index (within its source) of each of this shard's samples, in delivery order (no padding). */
  readonly order: Uint32Array;
  readonly #ids: readonly Uint8Array[];
  /** Each source's ids as 32-bit words (a view, no copy), or null where its bytes are not 4-byte aligned. */
  readonly #idWords: readonly (Uint32Array | null)[];
  /** Planned from `sources` (batches then count rows per source), not a plain `ids` list. */
  readonly #mixed: boolean;

  constructor(input: EpochPlanInput) {
    const sources = planSources(input);
    const sizes = sources.map((s) => s.ids.length / 16);
    this.sourceCounts = sourceCounts(
      sources.map((s, i) => ({ ...s, size: sizes[i] as number })),
      input.epochSize,
    );
    this.global = globalOrder({
      sizes,
      counts: this.sourceCounts,
      seed: input.seed,
      epoch: input.epoch,
      shuffle: input.shuffle,
    });
    if (input.remaining === undefined && this.global.length < input.numShards) {
      throw new RangeError(
        `The epoch has ${this.global.length} sample(s), fewer than numShards (${input.numShards}): every shard needs at least one.`,
      );
    }
    this.layout = {
      remaining: input.remaining ?? (this.global.length > 0 ? [[0, this.global.length]] : []),
      numShards: input.numShards,
      batchSize: input.batchSize,
      padLastBatch: input.padLastBatch,
    };
    this.slice = shardSlice(this.layout, input.shardId);
    this.positions = slicePositions(this.slice);
    this.order = this.positions.map((p) => this.global.index[p] as number);
    this.epoch = input.epoch;
    this.batchSize = input.batchSize;
    this.batchCount = this.slice.batchCount;
    this.#ids = sources.map((s) => s.ids);
    this.#idWords = this.#ids.map((ids) =>
      ids.byteOffset % 4 === 0 ? new Uint32Array(ids.buffer, ids.byteOffset, ids.length / 4) : null,
    );
    this.#mixed = input.sources !== undefined;
  }

  /** Samples delivered this epoch, padding included. */
  get rows(): number {
    return this.batchCount * this.batchSize;
  }

  /** Padding rows in the whole epoch (only ever in the last batch(es)). */
  get paddingRows(): number {
    return Math.max(0, this.rows - this.positions.length);
  }

  /** Source and index within the source of the sample at global position `p`. */
  sampleAt(p: number): { source: number; index: number } {
    return { source: this.global.source?.[p] ?? 0, index: this.global.index[p] as number };
  }

  batch(index: number): PlannedBatch {
    if (!Number.isInteger(index) || index < 0 || index >= this.batchCount) {
      throw new RangeError(`batch index ${index} out of range [0, ${this.batchCount})`);
    }
    return this.#plannedBatch(index, this.batchSize, index * this.batchSize, null);
  }

  /**
   * The batch of the given rows of this shard's epoch (`rows` < `this.rows`;
   * those past the samples are padding): a planned batch, or with row-level
   * `ooo` a chunk of the rows not yet delivered. `index` names it.
   */
  rowsBatch(index: number, rows: ArrayLike<number>): PlannedBatch {
    return this.#plannedBatch(index, rows.length, 0, rows);
  }

  /**
   * The batch of `size` rows: `rows[r]`, or `first + r` without `rows`.
   * Allocates the batch's two arrays and nothing per row (no subarray, no
   * sample object, no row list): at 2 KB rows the per-row garbage of those
   * was most of what the reader allocated, and what its scavenges collected.
   * Ids are copied as four 32-bit words, not 16 bytes: the byte loop was
   * 5.6% of the client's CPU samples at 2 KB rows, batch 128 (perf).
   */
  #plannedBatch(
    index: number,
    size: number,
    first: number,
    rows: ArrayLike<number> | null,
  ): PlannedBatch {
    const keyWords = new Uint32Array(size * 4);
    const keys = new Uint8Array(keyWords.buffer);
    const globalSource = this.global.source;
    const globalIndex = this.global.index;
    const sources = globalSource === null ? null : new Uint16Array(size);
    const length = this.positions.length;
    let padding = 0;
    for (let r = 0; r < size; r++) {
      const row = rows === null ? first + r : (rows[r] as number);
      if (row >= length) padding++;
      const p = this.positionOf(row);
      const source = globalSource === null ? 0 : (globalSource[p] as number);
      const id = globalIndex[p] as number;
      const words = this.#idWords[source];
      if (words) {
        const from = id * 4;
        const to = r * 4;
        keyWords[to] = words[from] as number;
        keyWords[to + 1] = words[from + 1] as number;
        keyWords[to + 2] = words[from + 2] as number;
        keyWords[to + 3] = words[from + 3] as number;
      } else keys.set((this.#ids[source] as Uint8Array).subarray(id * 16, id * 16 + 16), r * 16);
      if (sources !== null) sources[r] = source;
    }
    return {
      index,
      keys,
      size,
      padding,
      sources,
      ...(this.#mixed ? { sourceCount: this.#ids.length } : {}),
    };
  }

  /** Global position of a row of this shard's epoch (padding rows repeat the pad position). */
  positionOf(row: number): number {
    return row < this.positions.length ? (this.positions[row] as number) : this.slice.padPosition;
  }
}

function planSources(input: EpochPlanInput): readonly PlanSource[] {
  const sources = input.sources ?? (input.ids !== undefined ? [{ ids: input.ids }] : []);
  if (sources.length === 0) throw new RangeError('an epoch plan needs ids or sources');
  for (const s of sources) {
    if (s.ids.length === 0 || s.ids.length % 16 !== 0)
      throw new RangeError('every source needs at least one id of 16 bytes');
  }
  return sources;
}
