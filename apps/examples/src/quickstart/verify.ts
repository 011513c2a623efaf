import { createHash } from 'node:crypto';
import { formatUuid, type RawBatch } from '@cassdl/schema';
import type { RandomDataset } from './dataset.js';

export interface EpochCheck {
  rows: number;
  padding: number;
}

/**
 * Consumes one epoch and checks what a training loop relies on: each id
 * exactly once (padding aside), with the bytes and label that were written.
 */
export async function verifyEpoch(
  batches: AsyncIterable<RawBatch>,
  dataset: RandomDataset,
): Promise<EpochCheck> {
  const seen = new Set<string>();
  let rows = 0;
  let padding = 0;
  for await (const batch of batches) {
    const real = batch.size - batch.padding;
    for (let i = 0; i < real; i++) {
      const id = formatUuid(batch.ids, 16 * i);
      if (seen.has(id)) throw new Error(`row ${id} delivered twice in one epoch`);
      seen.add(id);
      const data = batch.data.subarray(batch.dataOffsets[i], batch.dataOffsets[i + 1]);
      if (createHash('sha256').update(data).digest('hex') !== dataset.digests.get(id)) {
        throw new Error(`row ${id} came back with different bytes`);
      }
      if (batch.labels.kind === 'int' && batch.labels.values[i] !== dataset.labels.get(id)) {
        throw new Error(
          `row ${id} came back with label ${batch.labels.values[i]}, wrote ${dataset.labels.get(id)}`,
        );
      }
    }
    rows += real;
    padding += batch.padding;
  }
  if (seen.size !== dataset.ids.length) {
    throw new Error(`epoch delivered ${seen.size} distinct rows, expected ${dataset.ids.length}`);
  }
  return { rows, padding };
}
