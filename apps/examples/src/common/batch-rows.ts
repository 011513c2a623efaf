import type { RawBatch } from '@cassdl/schema';

/**
 * Rows of a batch that are real samples: the reader pads a shard's last batch
 * by repeating its last sample and puts the `padding` copies at the end.
 * Metrics and exactly-once checks must ignore them.
 */
export function realRows(batch: Pick<RawBatch, 'size' | 'padding'>): number {
  return batch.size - batch.padding;
}

/** The i-th 16-byte id of a batch as a UUID string. */
export function idAt(ids: Uint8Array, i: number): string {
  const hex = Buffer.from(ids.subarray(i * 16, i * 16 + 16)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
