import type { LentBatch, RawBatch } from '@cassdl/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { EpochPlan } from '../plan/epoch-plan.js';
import { CassandraReader } from '../reader/reader.js';
import { checkBatch, realIds } from './helpers/batches.js';
import { connection, ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows();
const byId = new Map(rows.map((r) => [r.id, r]));
const sourceUuids = packKeys(rows);

beforeAll(() => ensureDataset(rows), 120_000);

async function open(overrides: Record<string, unknown> = {}): Promise<CassandraReader> {
  return CassandraReader.open({
    connection: await connection(),
    table: `${KEYSPACE}.data_int`,
    sourceUuids,
    batchSize: 64,
    engine: 'driver',
    seed: 11,
    ...overrides,
  });
}

/** Keeps every batch of an iteration (each retained: batches are lent until the next one). */
async function collect(iterable: AsyncIterable<LentBatch>): Promise<RawBatch[]> {
  const out: RawBatch[] = [];
  for await (const batch of iterable) out.push(batch.retain());
  return out;
}

describe('epochs over a real Cassandra', () => {
  it('gives each of 3 shards a disjoint slice; together every id exactly once, padding declared', async () => {
    const all = new Set<string>();
    const batchCounts: number[] = [];
    for (let shardId = 0; shardId < 3; shardId++) {
      const reader = await open({ numShards: 3, shardId, batchSize: 50 });
      try {
        const batches = await collect(reader.epoch());
        batchCounts.push(batches.length);
        const ids = batches.flatMap((b) => realIds(b, byId));
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) {
          expect(all.has(id)).toBe(false);
          all.add(id);
        }
        const padding = batches.reduce((sum, b) => sum + b.padding, 0);
        expect(ids.length + padding).toBe(batches.length * 50);
      } finally {
        await reader.close();
      }
    }
    expect(all.size).toBe(rows.length);
    expect(new Set(batchCounts).size).toBe(1);
  }, 90_000);

  it('delivers in plan order, and the next epoch reshuffles', async () => {
    const reader = await open({ epochs: 2, prefetchBuffers: 6 });
    try {
      const batches = await collect(reader);
      const perEpoch = [0, 1].map((epoch) => {
        const plan = new EpochPlan({
          ids: sourceUuids,
          seed: 11,
          epoch,
          shuffle: true,
          shardId: 0,
          numShards: 1,
          batchSize: 64,
          padLastBatch: true,
        });
        const expected = Array.from({ length: plan.batchCount }, (_, i) => plan.batch(i).keys);
        const got = batches.filter((b) => b.epoch === epoch);
        expect(got.map((b) => b.index)).toEqual(expected.map((_, i) => i));
        got.forEach((b, i) => {
          expect(Buffer.from(b.ids).equals(Buffer.from(expected[i] as Uint8Array))).toBe(true);
        });
        return got.flatMap((b) => checkBatch(b, byId));
      });
      expect(perEpoch[0]).not.toEqual(perEpoch[1]);
      expect(reader.currentEpoch).toBe(2);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('with ooo fills full batches from rows of several planned batches, every id once', async () => {
    const reader = await open({ ooo: true, prefetchBuffers: 8, batchSize: 32 });
    try {
      const batches = await collect(reader.epoch());
      expect(batches.map((b) => b.index)).toEqual(batches.map((_, i) => i));
      expect(batches.every((b) => b.size === 32)).toBe(true);
      const ids = batches.flatMap((b) => realIds(b, byId));
      expect(new Set(ids).size).toBe(rows.length);
      expect(ids.length).toBe(rows.length);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('drops the incomplete last batch with padLastBatch: false, and keeps order without shuffling', async () => {
    const reader = await open({ padLastBatch: false, shuffleEveryEpoch: false, batchSize: 300 });
    try {
      const batches = await collect(reader.epoch());
      expect(batches.length).toBe(Math.floor(rows.length / 300));
      expect(batches.every((b) => b.size === 300 && b.padding === 0)).toBe(true);
      const ids = batches.flatMap((b) => checkBatch(b, byId));
      expect(ids).toEqual(rows.slice(0, ids.length).map((r) => r.id));
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('reads blob labels and tables without labels', async () => {
    for (const [table, kind] of [
      ['data_blob', 'blob'],
      ['data_none', 'none'],
    ] as const) {
      const reader = await open({ table: `${KEYSPACE}.${table}`, labelType: kind, batchSize: 500 });
      try {
        const batches = await collect(reader.epoch());
        expect(batches.every((b) => b.labels.kind === kind)).toBe(true);
        const ids = batches.flatMap((b) => realIds(b, byId));
        expect(new Set(ids).size).toBe(rows.length);
      } finally {
        await reader.close();
      }
    }
  }, 60_000);

  it('loopForever keeps going past the last epoch, each epoch complete', async () => {
    const reader = await open({ loopForever: true, epochs: 1, batchSize: 500 });
    try {
      const perEpoch = new Map<number, number>();
      for await (const batch of reader) {
        perEpoch.set(batch.epoch, (perEpoch.get(batch.epoch) ?? 0) + batch.size - batch.padding);
        if (batch.epoch === 2) break;
      }
      expect(perEpoch.get(0)).toBe(rows.length);
      expect(perEpoch.get(1)).toBe(rows.length);
    } finally {
      await reader.close();
    }
  }, 60_000);
});
