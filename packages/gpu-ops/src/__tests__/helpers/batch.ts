import type { RawBatch, RawLabels } from '@cassdl/schema';

/** A distinct, recognisable id per row: 00000000-0000-4000-8000-0000000000<row>. */
export function testId(row: number): Uint8Array {
  const id = new Uint8Array(16);
  id[6] = 0x40;
  id[8] = 0x80;
  new DataView(id.buffer).setUint32(12, row);
  return id;
}

export function testIdString(row: number): string {
  return `00000000-0000-4000-8000-${row.toString(16).padStart(12, '0')}`;
}

function arena(blobs: readonly Uint8Array[]): { data: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(blobs.length + 1);
  blobs.forEach((blob, i) => {
    offsets[i + 1] = offsets[i]! + blob.length;
  });
  const data = new Uint8Array(offsets[blobs.length]!);
  for (const [i, blob] of blobs.entries()) data.set(blob, offsets[i]!);
  return { data, offsets };
}

/** A RawBatch as an engine would hand it over: one arena, offsets, ids. */
export function makeBatch(
  images: readonly Uint8Array[],
  labels:
    | { kind: 'int'; values: readonly number[] }
    | { kind: 'blob'; blobs: readonly Uint8Array[] }
    | { kind: 'none' } = { kind: 'none' },
  position: { epoch?: number; index?: number } = {},
): RawBatch {
  const { data, offsets } = arena(images);
  const ids = new Uint8Array(images.length * 16);
  for (let row = 0; row < images.length; row++) ids.set(testId(row), row * 16);
  let raw: RawLabels;
  if (labels.kind === 'int') raw = { kind: 'int', values: Int32Array.from(labels.values) };
  else if (labels.kind === 'blob') {
    const a = arena(labels.blobs);
    raw = { kind: 'blob', data: a.data, offsets: a.offsets };
  } else raw = { kind: 'none' };
  return {
    epoch: position.epoch ?? 0,
    index: position.index ?? 0,
    size: images.length,
    padding: 0,
    ids,
    data,
    dataOffsets: offsets,
    labels: raw,
  };
}
