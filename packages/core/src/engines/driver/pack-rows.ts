import type { LabelType, RawLabels } from '@cassdl/schema';
import type { PackedRows } from './messages.js';

/** One row as the driver returned it; `null` when it was skipped as missing. */
export interface RowResult {
  readonly data: Uint8Array;
  /** Int label, blob label, or null for `labelType: 'none'`. */
  readonly label: number | Uint8Array | null;
}

/**
 * Copies the rows of one fetch into fresh arenas (one copy, in the worker,
 * off the training thread) in key order, leaving out skipped rows. Returns
 * the packed rows and the buffers to transfer.
 */
export function packRows(
  keys: Uint8Array,
  rows: readonly (RowResult | null)[],
  labelType: LabelType,
  answers: Pick<PackedRows, 'latencies' | 'hostOf' | 'hosts'>,
  allocate: (bytes: number) => Uint8Array = arena,
): { rows: PackedRows; transfer: ArrayBuffer[] } {
  const present = rows.filter((r): r is RowResult => r !== null);
  const size = present.length;
  const ids = new Uint8Array(size * 16);
  const missing = new Uint8Array((rows.length - size) * 16);
  const dataOffsets = new Uint32Array(size + 1);
  const data = allocate(sum(present, (r) => r.data.length));
  let out = 0;
  let skipped = 0;
  rows.forEach((row, i) => {
    const key = keys.subarray(i * 16, i * 16 + 16);
    if (row === null) {
      missing.set(key, 16 * skipped++);
      return;
    }
    ids.set(key, out * 16);
    data.set(row.data, dataOffsets[out] as number);
    dataOffsets[out + 1] = (dataOffsets[out] as number) + row.data.length;
    out++;
  });
  const labels = packLabels(present, labelType);
  const transfer = [
    ids.buffer,
    missing.buffer,
    dataOffsets.buffer,
    data.buffer,
    answers.latencies.buffer,
    answers.hostOf.buffer,
    ...labelBuffers(labels),
  ];
  return {
    rows: { size, ids, data, dataOffsets, labels, missing, ...answers },
    transfer: transfer as ArrayBuffer[],
  };
}

function packLabels(rows: readonly RowResult[], labelType: LabelType): RawLabels {
  if (labelType === 'none') return { kind: 'none' };
  if (labelType === 'int')
    return { kind: 'int', values: Int32Array.from(rows, (r) => r.label as number) };
  const offsets = new Uint32Array(rows.length + 1);
  const data = arena(sum(rows, (r) => (r.label as Uint8Array).length));
  rows.forEach((r, i) => {
    const label = r.label as Uint8Array;
    data.set(label, offsets[i] as number);
    offsets[i + 1] = (offsets[i] as number) + label.length;
  });
  return { kind: 'blob', data, offsets };
}

function labelBuffers(labels: RawLabels): ArrayBufferLike[] {
  if (labels.kind === 'int') return [labels.values.buffer];
  if (labels.kind === 'blob') return [labels.data.buffer, labels.offsets.buffer];
  return [];
}

/**
 * A byte arena with its own ArrayBuffer (transferable) and no zero-filling:
 * every byte is overwritten by the rows copied in right after.
 */
function arena(bytes: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(bytes);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, bytes);
}

function sum<T>(items: readonly T[], size: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += size(item);
  return total;
}
