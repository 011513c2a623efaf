import { CassandraReader } from '@cassdl/core';
import type { ConnectionOptionsInput, RawBatch } from '@cassdl/schema';
import type * as tf from '@tensorflow/tfjs';

/**
 * Samples/s of the input pipeline alone (Cassandra → reader → gpu-ops
 * tensors) over one epoch of the train split, with no model in the loop:
 * what the loader could feed a fast accelerator. On the cpu backend the
 * model, not the loader, sets the pace of training.
 */
export async function loaderThroughput(
  connection: ConnectionOptionsInput,
  table: string,
  labelType: 'int' | 'blob',
  splitFile: string,
  batchSize: number,
  transform: (batch: RawBatch) => Promise<{ xs: tf.Tensor; ys: tf.Tensor }>,
): Promise<{ samples: number; seconds: number; samplesPerSec: number }> {
  const reader = await CassandraReader.open({
    connection,
    table,
    labelType,
    splitFile,
    splitName: 'train',
    batchSize,
    prefetchBuffers: 4,
  });
  let samples = 0;
  const started = performance.now();
  try {
    for await (const batch of reader.epoch()) {
      const { xs, ys } = await transform(batch);
      samples += batch.size - batch.padding;
      xs.dispose();
      ys.dispose();
    }
  } finally {
    await reader.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { samples, seconds, samplesPerSec: samples / seconds };
}
