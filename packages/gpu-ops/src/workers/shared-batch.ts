import type { RawBatch } from '@cassdl/schema';
import { batchMemory } from '../pipeline/buffer-recycler.js';

/**
 * A copy of a `RawBatch` that can be posted to every worker at once: the
 * arenas move into `SharedArrayBuffer`s (one memcpy each on the JS thread;
 * an arena that is already shared is used as is), the small arrays are
 * sliced so structured cloning copies only their own bytes, never a larger
 * buffer they view. Int labels stay behind: workers only decode pixels.
 * The shared arenas come from the batch-memory recycler: hand the result to
 * `releaseSharedBatch` once every worker is done with it.
 */
export function shareBatch(batch: RawBatch, withMasks: boolean): RawBatch {
  const labels: RawBatch['labels'] =
    withMasks && batch.labels.kind === 'blob'
      ? { kind: 'blob', data: toShared(batch.labels.data), offsets: batch.labels.offsets.slice() }
      : { kind: 'none' };
  return {
    epoch: batch.epoch,
    index: batch.index,
    size: batch.size,
    padding: batch.padding,
    ids: batch.ids.slice(),
    data: toShared(batch.data),
    dataOffsets: batch.dataOffsets.slice(),
    labels,
  };
}

/** Gives the arenas `shareBatch` copied back to the recycler (an arena that was already shared is not ours). */
export function releaseSharedBatch(original: RawBatch, shared: RawBatch): void {
  if (shared.data !== original.data) batchMemory.give(shared.data.buffer as SharedArrayBuffer);
  const from = original.labels;
  const to = shared.labels;
  if (to.kind === 'blob' && from.kind === 'blob' && to.data !== from.data)
    batchMemory.give(to.data.buffer as SharedArrayBuffer);
}

function toShared(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = new Uint8Array(batchMemory.take(bytes.byteLength, true), 0, bytes.byteLength);
  shared.set(bytes);
  return shared;
}

/** Splits rows `[0, count)` into at most `parts` contiguous, near-equal, non-empty ranges. */
export function splitRows(count: number, parts: number): [number, number][] {
  const n = Math.max(1, Math.min(parts, count));
  const ranges: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor((i * count) / n);
    const end = Math.floor(((i + 1) * count) / n);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}
