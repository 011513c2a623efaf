import { formatUuid, type RawBatch } from '@cassdl/schema';
import { expect } from 'vitest';
import { sha256, type TestRow } from './dataset.js';

/** Checks every row of a batch against the dataset (content hash, label) and returns the row ids. */
export function checkBatch(batch: RawBatch, byId: ReadonlyMap<string, TestRow>): string[] {
  const ids: string[] = [];
  for (let i = 0; i < batch.size; i++) {
    const id = formatUuid(batch.ids, i * 16);
    const row = byId.get(id);
    expect(row, `unknown id ${id}`).toBeDefined();
    const data = batch.data.subarray(batch.dataOffsets[i], batch.dataOffsets[i + 1]);
    expect(sha256(data)).toBe(row?.sha256);
    if (batch.labels.kind === 'int') expect(batch.labels.values[i]).toBe(row?.label);
    if (batch.labels.kind === 'blob') {
      const label = batch.labels.data.subarray(
        batch.labels.offsets[i],
        batch.labels.offsets[i + 1],
      );
      expect(Buffer.from(label).toString('hex')).toBe(row?.sha256);
    }
    ids.push(id);
  }
  return ids;
}

/** Ids of the non-padding rows of a batch. */
export function realIds(batch: RawBatch, byId: ReadonlyMap<string, TestRow>): string[] {
  return checkBatch(batch, byId).slice(0, batch.size - batch.padding);
}
