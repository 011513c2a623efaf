import { beforeAll, describe, expect, it } from 'vitest';
import { mergeStates } from '../reader/state.js';
import { connection, ensureDataset, KEYSPACE, testRows } from './helpers/dataset.js';
import { runShardProcess } from './helpers/shard-process.js';

const rows = testRows();
const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');

beforeAll(() => ensureDataset(rows), 120_000);

async function options(numShards: number, shardId: number) {
  return {
    connection: await connection(),
    table: `${KEYSPACE}.data_int`,
    sourceUuids: rows.map((r) => r.id),
    batchSize: 25,
    seed: 11,
    numShards,
    shardId,
    engine: 'driver',
  };
}

function expectEpochOnce(ids: readonly string[]): void {
  const expected = rows.map((r) => `0:${hex(r.key)}`).sort();
  expect(ids.length).toBe(rows.length);
  expect([...ids].sort()).toEqual(expected);
}

describe('elastic resume across processes (real server)', () => {
  it('4 processes read half an epoch and stop; 3 processes resume and finish: the union is the epoch, each id once', async () => {
    const first = await Promise.all(
      [0, 1, 2, 3].map(async (k) => runShardProcess(await options(4, k), null, 10)),
    );
    // Half an epoch: 2000 ids / 4 shards = 20 batches of 25 each; every shard stopped after 10.
    expect(first.map((r) => r.batches)).toEqual([20, 20, 20, 20]);
    expect(first.map((r) => r.ids.length)).toEqual([250, 250, 250, 250]);
    const states = first.map((r) => r.state);
    const second = await Promise.all(
      [0, 1, 2].map(async (k) => runShardProcess(await options(3, k), states, null)),
    );
    // The new shards stay in step: 1000 left over 3 shards = 334 rows each, 14 batches (padded).
    expect(second.map((r) => r.batches)).toEqual([14, 14, 14]);
    expectEpochOnce([...first.flatMap((r) => r.ids), ...second.flatMap((r) => r.ids)]);
    // One merged state does the same as the array.
    const merged = mergeStates(states);
    expect(merged.remaining.length).toBeLessThanOrEqual(4);
    const viaMerged = await runShardProcess(await options(1, 0), merged, null);
    expectEpochOnce([...first.flatMap((r) => r.ids), ...viaMerged.ids]);
  }, 180_000);
});
