import type { RawLabels } from '@cassdl/schema';
import type { FetchedRows } from '../engines/engine.js';
import { sameId } from './assemble.js';

/**
 * Rows of an `ooo` fetch with its `padding` rows moved to the end, as a
 * batch declares them (`RawBatch.padding`: trailing rows). Padding repeats
 * one sample (`padId`), so any `padding` rows with that id will do. In
 * arrival order they may lie anywhere: then the rows are copied once into
 * new arrays in the new order and the engine's arena is given back. Only
 * the epoch's last batch(es) can hold padding, so the copy is rare.
 */
export function withTrailingPadding(
  rows: FetchedRows,
  padId: Uint8Array,
  padding: number,
): FetchedRows {
  if (padding === 0) return rows;
  const isPad = (i: number) => sameId(rows.ids, i, padId, 0);
  let trailing = 0;
  while (trailing < padding && isPad(rows.size - 1 - trailing)) trailing++;
  if (trailing === padding) return rows;
  // The last `padding` rows with the pad id go to the end; every other row keeps its order.
  const tail: number[] = [];
  for (let i = rows.size - 1; i >= 0 && tail.length < padding; i--) if (isPad(i)) tail.unshift(i);
  const order = [
    ...Array.from({ length: rows.size }, (_, i) => i).filter((i) => !tail.includes(i)),
    ...tail,
  ];
  const reordered = permute(rows, order);
  rows.release?.();
  return reordered;
}

function permute(rows: FetchedRows, order: readonly number[]): FetchedRows {
  const ids = new Uint8Array(rows.ids.length);
  const data = new Uint8Array(rows.data.length);
  const dataOffsets = new Uint32Array(rows.size + 1);
  order.forEach((from, to) => {
    ids.set(rows.ids.subarray(from * 16, from * 16 + 16), to * 16);
    const row = rows.data.subarray(rows.dataOffsets[from], rows.dataOffsets[from + 1]);
    data.set(row, dataOffsets[to] as number);
    dataOffsets[to + 1] = (dataOffsets[to] as number) + row.length;
  });
  return {
    size: rows.size,
    ids,
    data,
    dataOffsets,
    labels: permuteLabels(rows.labels, order),
    missing: rows.missing.slice(),
  };
}

function permuteLabels(labels: RawLabels, order: readonly number[]): RawLabels {
  if (labels.kind === 'none') return labels;
  if (labels.kind === 'int')
    return { kind: 'int', values: Int32Array.from(order, (i) => labels.values[i] as number) };
  const data = new Uint8Array(labels.data.length);
  const offsets = new Uint32Array(order.length + 1);
  order.forEach((from, to) => {
    const label = labels.data.subarray(labels.offsets[from], labels.offsets[from + 1]);
    data.set(label, offsets[to] as number);
    offsets[to + 1] = (offsets[to] as number) + label.length;
  });
  return { kind: 'blob', data, offsets };
}
