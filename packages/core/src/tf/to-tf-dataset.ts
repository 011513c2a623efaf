import type { RawBatch } from '@cassdl/schema';
import { data, type TensorContainer } from '@tensorflow/tfjs';

/** Turns one raw batch into tensors (usually `{ xs, ys }`), e.g. with @cassdl/gpu-ops. */
export type BatchTransform<T extends TensorContainer> = (batch: RawBatch) => T | Promise<T>;

/** The part of `CassandraReader` the adapter needs. */
export interface EpochSource {
  epoch(): AsyncIterator<RawBatch>;
}

/**
 * A `tf.data.Dataset` over a reader, for `model.fitDataset`. Each pass over
 * the dataset (each `fitDataset` epoch) iterates the reader's current epoch
 * once, so the reader's seed, shuffling, sharding and resume state apply
 * as usual. Elements are already batches: do not call `.batch()` on it.
 *
 * Batch memory: each reader batch is recycled when the dataset pulls the
 * next element (`model.fitDataset` has disposed the previous element's
 * tensors by then). A transform that decodes or copies (every @cassdl/gpu-ops
 * pipeline does) needs nothing more. One whose tensors view the batch's
 * arrays (`tf.tensor(batch.data)` keeps the array on the CPU backend) must
 * copy (`batch.data.slice()`) if the dataset is prefetched (`.prefetch()`)
 * or its elements outlive the next pull.
 *
 * ```ts
 * import { toTfDataset } from '@cassdl/core/tf';
 * const ds = toTfDataset(reader, (b) => toTensors(b));
 * await model.fitDataset(ds, { epochs: 3 });
 * ```
 */
export function toTfDataset<T extends TensorContainer>(
  reader: EpochSource,
  transform: BatchTransform<T>,
): data.Dataset<T> {
  return data.generator(() => transformed(reader.epoch(), transform));
}

async function* transformed<T extends TensorContainer>(
  batches: AsyncIterator<RawBatch>,
  transform: BatchTransform<T>,
): AsyncGenerator<T, void, undefined> {
  for (;;) {
    // Asking the reader for the next batch recycles the previous one.
    const next = await batches.next();
    if (next.done === true) return;
    yield await transform(next.value);
  }
}
