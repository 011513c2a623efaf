import type { RawBatch } from '@cassdl/schema';
import { GpuOpsError } from '../errors/index.js';

/** Row `index`'s data blob, a view into the batch arena (no copy). */
export function sampleData(batch: RawBatch, index: number): Uint8Array {
  return slice(batch.data, batch.dataOffsets, index, 'data');
}

/** Row `index`'s blob label, a view into the label arena (no copy). */
export function sampleBlobLabel(batch: RawBatch, index: number): Uint8Array {
  if (batch.labels.kind !== 'blob') {
    throw new GpuOpsError(
      'ERR_GPU_OPS_BATCH',
      `batch labels are '${batch.labels.kind}', not 'blob'`,
    );
  }
  return slice(batch.labels.data, batch.labels.offsets, index, 'labels');
}

function slice(arena: Uint8Array, offsets: Uint32Array, index: number, what: string): Uint8Array {
  const start = offsets[index];
  const end = offsets[index + 1];
  // An engine bug must surface here, not as a decoder reading foreign bytes.
  if (start === undefined || end === undefined || start > end || end > arena.length) {
    throw new GpuOpsError(
      'ERR_GPU_OPS_BATCH',
      `malformed RawBatch: ${what} offsets for row ${index} are [${start}, ${end}) in an arena of ${arena.length} bytes`,
    );
  }
  return arena.subarray(start, end);
}

/** Checks the batch's arrays agree with its `size` before any work starts. */
export function checkBatchShape(batch: RawBatch): void {
  const problems: string[] = [];
  if (!Number.isInteger(batch.size) || batch.size < 0) problems.push(`size ${batch.size}`);
  if (batch.ids.length !== batch.size * 16) problems.push(`ids has ${batch.ids.length} bytes`);
  if (batch.dataOffsets.length !== batch.size + 1) {
    problems.push(`dataOffsets has ${batch.dataOffsets.length} entries`);
  }
  const labels = batch.labels;
  if (labels.kind === 'int' && labels.values.length !== batch.size) {
    problems.push(`int labels has ${labels.values.length} values`);
  }
  if (labels.kind === 'blob' && labels.offsets.length !== batch.size + 1) {
    problems.push(`blob label offsets has ${labels.offsets.length} entries`);
  }
  if (problems.length > 0) {
    throw new GpuOpsError(
      'ERR_GPU_OPS_BATCH',
      `malformed RawBatch of size ${batch.size}: ${problems.join(', ')}`,
    );
  }
}
