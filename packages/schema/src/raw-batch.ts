/**
 * The unit of data that flows from an engine to the consumer: one batch of
 * rows laid out in a few flat arrays, never one object per sample.
 *
 * Row `i` has id `ids.subarray(16 * i, 16 * i + 16)` and data
 * `data.subarray(dataOffsets[i], dataOffsets[i + 1])`.
 */
export interface RawBatch {
  /** Epoch this batch belongs to (0-based); -1 for interactive fetches. */
  readonly epoch: number;
  /** Position of the batch in this shard's epoch plan (0-based). */
  readonly index: number;
  /** Rows in the batch, padding included. */
  readonly size: number;
  /** Trailing rows that repeat an earlier sample so the batch is full (`padLastBatch`). */
  readonly padding: number;
  /** `size * 16` bytes: each row's UUID in network byte order. */
  readonly ids: Uint8Array;
  /** Every row's data blob, back to back. */
  readonly data: Uint8Array;
  /** `size + 1` offsets into `data`. */
  readonly dataOffsets: Uint32Array;
  readonly labels: RawLabels;
  /**
   * Rows of each source of a weighted mix in this batch (index = position in
   * the reader's `sources`; padding counted under the source it repeats).
   * Absent when the reader has no `sources`.
   */
  readonly sources?: readonly number[];
}

/** Labels of a batch, shaped by the table's `labelType`. */
export type RawLabels =
  | { readonly kind: 'int'; readonly values: Int32Array }
  | { readonly kind: 'blob'; readonly data: Uint8Array; readonly offsets: Uint32Array }
  | { readonly kind: 'none' };

/**
 * A batch the reader lends while an epoch is iterated. Its arrays live in
 * one of the reader's reused batch arenas: they stay valid until the
 * consumer asks for the next batch (the simple rule of `for await`), or,
 * after `retain()`, until `release()`. Reading a recycled batch throws.
 */
export interface LentBatch extends RawBatch {
  /** Keeps this batch valid past the next one, until `release()`. Returns the batch. */
  retain(): LentBatch;
  /** Gives its arena back now (retained or not); its arrays must not be used after. Idempotent. */
  release(): void;
}
