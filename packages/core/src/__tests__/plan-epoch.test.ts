import { describe, expect, it } from 'vitest';
import { EpochPlan, type EpochPlanInput } from '../plan/epoch-plan.js';
import { epochPermutation } from '../plan/permutation.js';
import { shardBatchCount, shardRange } from '../plan/shard.js';
import { fakeIds, fakeIndices } from './helpers/ids.js';

function plan(overrides: Partial<EpochPlanInput> & { n: number }): EpochPlan {
  const { n, ...rest } = overrides;
  return new EpochPlan({
    ids: fakeIds(n),
    seed: 1,
    epoch: 0,
    shuffle: true,
    shardId: 0,
    numShards: 1,
    batchSize: 8,
    padLastBatch: true,
    ...rest,
  });
}

/** Every row of a shard's epoch, with the padding flagged per batch. */
function deliver(p: EpochPlan): { rows: number[]; padding: number[] } {
  const rows: number[] = [];
  const padding: number[] = [];
  for (let b = 0; b < p.batchCount; b++) {
    const batch = p.batch(b);
    const indices = fakeIndices(batch.keys);
    rows.push(...indices.slice(0, batch.size - batch.padding));
    padding.push(...indices.slice(batch.size - batch.padding));
  }
  return { rows, padding };
}

describe('epochPermutation', () => {
  it('is a permutation: every index exactly once', () => {
    for (const n of [0, 1, 2, 7, 1000]) {
      const order = epochPermutation(n, 3, 5, true);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('is the same for the same (seed, epoch), different across epochs and seeds', () => {
    const a = epochPermutation(500, 9, 0, true);
    expect(epochPermutation(500, 9, 0, true)).toEqual(a);
    expect(epochPermutation(500, 9, 1, true)).not.toEqual(a);
    expect(epochPermutation(500, 10, 0, true)).not.toEqual(a);
  });

  it('is the identity in every epoch when not shuffling', () => {
    const identity = Uint32Array.from({ length: 100 }, (_, i) => i);
    expect(epochPermutation(100, 9, 0, false)).toEqual(identity);
    expect(epochPermutation(100, 9, 7, false)).toEqual(identity);
  });

  it('moves each element to each position about equally often', () => {
    const n = 5;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let epoch = 0; epoch < 5000; epoch++) {
      const order = epochPermutation(n, 1, epoch, true);
      order.forEach((value, position) => {
        const row = counts[value] as number[];
        row[position] = (row[position] as number) + 1;
      });
    }
    for (const row of counts) for (const c of row) expect(c).toBeGreaterThan(850); // expected 1000
  });
});

describe('shards', () => {
  it('are disjoint, cover the dataset, and differ in size by at most one', () => {
    for (const [n, shards] of [
      [10, 3],
      [1000, 8],
      [7, 7],
      [1001, 4],
    ] as const) {
      const seen = new Array<number>(n).fill(0);
      const sizes: number[] = [];
      for (let k = 0; k < shards; k++) {
        const { start, end } = shardRange(n, k, shards);
        sizes.push(end - start);
        for (let i = start; i < end; i++) seen[i] = (seen[i] as number) + 1;
      }
      expect(seen.every((c) => c === 1)).toBe(true);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('all get the same number of batches', () => {
    expect(shardBatchCount(10, 3, 2, true)).toBe(2);
    expect(shardBatchCount(10, 3, 2, false)).toBe(1);
    expect(shardBatchCount(1000, 1, 128, true)).toBe(8);
    expect(shardBatchCount(1000, 1, 128, false)).toBe(7);
  });
});

describe('EpochPlan', () => {
  it('copies whole ids whether their bytes are 4-byte aligned or not', () => {
    // Aligned ids are copied as 32-bit words; ids at an odd offset of their buffer cannot be.
    const n = 37;
    const unaligned = new Uint8Array(n * 16 + 3).subarray(3);
    unaligned.set(fakeIds(n));
    const aligned = plan({ n, padLastBatch: true });
    const odd = plan({ n, ids: unaligned, padLastBatch: true });
    for (let b = 0; b < aligned.batchCount; b++) {
      const keys = aligned.batch(b).keys;
      expect(odd.batch(b).keys).toEqual(keys);
      for (let r = 0; r < keys.length / 16; r++) expect(keys[r * 16]).toBe(0xab);
    }
    expect(deliver(odd).rows.sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('delivers every id of the shard exactly once, plus declared padding that repeats the last sample', () => {
    const numShards = 3;
    const n = 1003;
    const union = new Set<number>();
    for (let shardId = 0; shardId < numShards; shardId++) {
      const p = plan({ n, numShards, shardId, batchSize: 16, epoch: 2 });
      const { rows, padding } = deliver(p);
      expect(new Set(rows).size).toBe(rows.length);
      expect(rows.length).toBe(p.order.length);
      expect(rows.length + padding.length).toBe(p.batchCount * 16);
      for (const r of padding) expect(r).toBe(rows.at(-1));
      for (const r of rows) {
        expect(union.has(r)).toBe(false);
        union.add(r);
      }
      // Only the final batch carries padding here (shard sizes 334/334/335, 22 batches of 16).
      for (let b = 0; b < p.batchCount - 1; b++) expect(p.batch(b).padding).toBe(0);
    }
    expect(union.size).toBe(n);
  });

  it('drops the incomplete tail when padLastBatch is false, keeping batches full and equal across shards', () => {
    const counts = [0, 1].map((shardId) => {
      const p = plan({ n: 103, numShards: 2, shardId, batchSize: 10, padLastBatch: false });
      const { rows, padding } = deliver(p);
      expect(padding).toEqual([]);
      expect(new Set(rows).size).toBe(rows.length);
      expect(rows.every((r) => p.order.includes(r))).toBe(true);
      return p.batchCount;
    });
    expect(counts).toEqual([5, 5]);
  });

  it('is reproducible for the same (seed, epoch) and reshuffles across epochs', () => {
    const a = deliver(plan({ n: 300, epoch: 4 })).rows;
    expect(deliver(plan({ n: 300, epoch: 4 })).rows).toEqual(a);
    expect(deliver(plan({ n: 300, epoch: 5 })).rows).not.toEqual(a);
    const still = deliver(plan({ n: 300, epoch: 4, shuffle: false })).rows;
    expect(deliver(plan({ n: 300, epoch: 5, shuffle: false })).rows).toEqual(still);
    expect(still).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('flags a whole batch of padding when a short shard needs an extra batch (as DALI does)', () => {
    // n=4 over 3 shards: sizes 1, 1, 2; batch size 1 gives every shard 2 batches.
    const p = plan({ n: 4, numShards: 3, shardId: 0, batchSize: 1 });
    expect(p.batchCount).toBe(2);
    expect(p.batch(1).padding).toBe(1);
    expect(fakeIndices(p.batch(1).keys)).toEqual(fakeIndices(p.batch(0).keys));
  });

  it('gives a planned batch the same keys and padding as rowsBatch over its rows', () => {
    // batch(i) builds its keys without a row list; rowsBatch (row-level ooo) takes one.
    const p = plan({ n: 21, numShards: 2, shardId: 1, batchSize: 4 });
    for (let b = 0; b < p.batchCount; b++) {
      const rows = Array.from({ length: 4 }, (_, r) => b * 4 + r);
      const byRows = p.rowsBatch(b, rows);
      const planned = p.batch(b);
      expect(fakeIndices(planned.keys)).toEqual(fakeIndices(byRows.keys));
      expect(planned.padding).toBe(byRows.padding);
      expect(fakeIndices(planned.keys)).toEqual(
        rows.map((r) => p.order[Math.min(r, p.order.length - 1)]),
      );
    }
  });

  it('rejects fewer ids than shards and out-of-range batches', () => {
    expect(() => plan({ n: 2, numShards: 3 })).toThrow(/fewer than numShards/);
    expect(() => plan({ n: 10 }).batch(2)).toThrow(RangeError);
  });
});
