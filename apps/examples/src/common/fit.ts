import { CassandraReader } from '@cassdl/core';
import { toTfDataset } from '@cassdl/core/tf';
import type { ConnectionOptionsInput, RawBatch } from '@cassdl/schema';
import type * as tf from '@tensorflow/tfjs';
import type { Logger } from './log.js';

/** What training needs from a gpu-ops pipeline: raw batch in, `{ xs, ys }` out. */
export type Transform = (batch: RawBatch) => Promise<{ xs: tf.Tensor; ys: tf.Tensor }>;

export interface FitOptions {
  connection: ConnectionOptionsInput;
  table: string;
  labelType: 'int' | 'blob';
  splitFile: string;
  batchSize: number;
  epochs: number;
  seed: number;
  shardId?: number;
  numShards?: number;
}

/**
 * `model.fitDataset` over the train split: the reader shuffles each epoch
 * from `(seed, epoch)`, the transform (gpu-ops) decodes and augments, and
 * `onBatch` sees each raw batch and its tensors (e.g. to record labels).
 * Resolves to the loader's samples/s.
 */
export async function fitFromCassandra(
  model: tf.LayersModel,
  o: FitOptions,
  transform: Transform,
  log: Logger,
  onBatch: (batch: RawBatch, ys: tf.Tensor) => Promise<void> = async () => {},
): Promise<number> {
  const reader = await CassandraReader.open({
    connection: o.connection,
    table: o.table,
    labelType: o.labelType,
    splitFile: o.splitFile,
    splitName: 'train',
    batchSize: o.batchSize,
    shuffleEveryEpoch: true,
    seed: o.seed,
    epochs: o.epochs,
    shardId: o.shardId ?? 0,
    numShards: o.numShards ?? 1,
  });
  log(
    `4. training: ${reader.size} ids, ${reader.batchesPerEpoch} batches per epoch, ${reader.engineKind} engine`,
  );
  try {
    const started = performance.now();
    let rows = 0;
    const dataset = toTfDataset(reader, async (batch) => {
      rows += batch.size - batch.padding;
      const out = await transform(batch);
      await onBatch(batch, out.ys);
      return out;
    });
    await model.fitDataset(dataset, {
      epochs: o.epochs,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) =>
          log(`   epoch ${epoch + 1}/${o.epochs}: loss ${logs?.loss?.toFixed(3)}`),
      },
    });
    const perSec = rows / ((performance.now() - started) / 1000);
    log(
      `   training: ${Math.round(perSec)} samples/s end to end (on cpu the model, not the loader, sets this pace)`,
    );
    return perSec;
  } finally {
    await reader.close();
  }
}

/** Iterates the val split once, in order, for evaluation. */
export async function forEachValBatch(
  o: Omit<FitOptions, 'epochs' | 'seed' | 'shardId' | 'numShards'>,
  visit: (batch: RawBatch) => Promise<void>,
): Promise<void> {
  const reader = await CassandraReader.open({
    connection: o.connection,
    table: o.table,
    labelType: o.labelType,
    splitFile: o.splitFile,
    splitName: 'val',
    batchSize: o.batchSize,
    shuffleEveryEpoch: false,
  });
  try {
    for await (const batch of reader.epoch()) await visit(batch);
  } finally {
    await reader.close();
  }
}
