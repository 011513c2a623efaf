import { formatUuid, type RawBatch } from '@cassdl/schema';
import { runNativeTests } from '@cassdl/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeNative } from '../engines/native.js';
import { EpochPlan } from '../plan/epoch-plan.js';
import type { Range } from '../plan/ranges.js';
import { CassandraReader } from '../reader/reader.js';
import type { ReaderState } from '../reader/state.js';
import { checkBatch } from './helpers/batches.js';
import { connection, ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows(1000);
const byId = new Map(rows.map((r) => [r.id, r]));
const sourceUuids = packKeys(rows);
const native = await probeNative();
const ENGINES = ['driver', ...(runNativeTests(native) ? (['native'] as const) : [])] as const;
const BATCH = 48;
const SEED = 5;

beforeAll(() => ensureDataset(testRows()), 120_000);

/** The ids the seeded plan puts in epoch `epoch` (padding included), one entry per row, sorted. */
function plannedIds(epoch: number, skip: readonly Range[] = []): string[] {
  const plan = new EpochPlan({
    ids: sourceUuids,
    seed: SEED,
    epoch,
    shuffle: true,
    shardId: 0,
    numShards: 1,
    batchSize: BATCH,
    padLastBatch: true,
  });
  const out: string[] = [];
  for (let b = 0; b < plan.batchCount; b++) {
    const { keys } = plan.batch(b);
    for (let i = 0; i < BATCH; i++) {
      const row = b * BATCH + i;
      if (!skip.some(([s, e]) => s <= row && row < e)) out.push(formatUuid(keys, i * 16));
    }
  }
  return out.sort();
}

/** Every row of a batch checked against the dataset; padding only as the trailing rows, all repeating one id. */
function batchIds(batch: RawBatch): string[] {
  const ids = checkBatch(batch, byId);
  const pad = ids.slice(batch.size - batch.padding);
  expect(new Set(pad).size).toBeLessThanOrEqual(1);
  return ids;
}

describe.each(ENGINES)('ooo: true on the %s engine (against the server)', (engine) => {
  async function open(): Promise<CassandraReader> {
    return CassandraReader.open({
      connection: await connection(),
      table: `${KEYSPACE}.data_int`,
      sourceUuids,
      batchSize: BATCH,
      engine,
      seed: SEED,
      epochs: 2,
      ooo: true,
    });
  }

  it('delivers every row the seeded plan gives each epoch exactly once, full batches, padding trailing', async () => {
    const reader = await open();
    try {
      const perEpoch: string[][] = [[], []];
      for await (const batch of reader) {
        expect(batch.size).toBe(BATCH);
        perEpoch[batch.epoch]?.push(...batchIds(batch));
      }
      expect(perEpoch[0]?.sort()).toEqual(plannedIds(0));
      expect(perEpoch[1]?.sort()).toEqual(plannedIds(1));
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('saves its state mid-epoch (prefix plus open window, in rows) and a new reader delivers exactly the rest', async () => {
    const first = await open();
    const seen: string[] = [];
    let state: ReaderState;
    try {
      let n = 0;
      for await (const batch of first.epoch()) {
        seen.push(...batchIds(batch));
        if (++n === 9) break;
      }
      state = JSON.parse(JSON.stringify(first.state())) as ReaderState;
    } finally {
      await first.close();
    }
    const windowRows = state.window.reduce((t, [s, e]) => t + e - s, 0);
    expect(state.delivered + windowRows).toBe(9 * BATCH);
    expect(state.sampleInEpoch).toBe(9 * BATCH);
    const second = await open();
    try {
      second.resume(state);
      for await (const batch of second.epoch()) seen.push(...batchIds(batch));
    } finally {
      await second.close();
    }
    expect(seen.sort()).toEqual(plannedIds(0));
  }, 60_000);

  it('resumes from a window of single rows (not whole batches): exactly the rows not in it', async () => {
    const reader = await open();
    const prefix: Range = [0, 37];
    const window: Range[] = [
      [50, 53],
      [100, 171],
      [700, 701],
    ];
    try {
      const base = reader.state();
      reader.resume({ ...base, delivered: prefix[1], window, sampleInEpoch: 0 });
      const seen: string[] = [];
      for await (const batch of reader.epoch()) seen.push(...batchIds(batch));
      expect(seen.sort()).toEqual(plannedIds(0, [prefix, ...window]));
      expect(reader.currentEpoch).toBe(1);
    } finally {
      await reader.close();
    }
  }, 60_000);
});
