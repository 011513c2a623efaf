import { beforeAll, describe, expect, it } from 'vitest';
import { CassdlStateError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import type { ReaderState } from '../reader/state.js';
import { realIds } from './helpers/batches.js';
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
    batchSize: 40,
    engine: 'driver',
    seed: 3,
    epochs: 2,
    ...overrides,
  });
}

/** Reads `take` batches, saves the state through JSON (as a checkpoint would) and closes. */
async function readThenSave(
  take: number,
  overrides: Record<string, unknown>,
): Promise<{ ids: string[]; state: ReaderState }> {
  const reader = await open(overrides);
  const ids: string[] = [];
  try {
    let n = 0;
    for await (const batch of reader) {
      ids.push(...realIds(batch, byId).map((id) => `${batch.epoch}:${id}`));
      if (++n === take) break;
    }
    return { ids, state: JSON.parse(JSON.stringify(reader.state())) as ReaderState };
  } finally {
    await reader.close();
  }
}

async function resumeAndFinish(
  state: ReaderState,
  overrides: Record<string, unknown>,
): Promise<string[]> {
  const reader = await open(overrides);
  const ids: string[] = [];
  try {
    reader.resume(state);
    for await (const batch of reader)
      ids.push(...realIds(batch, byId).map((id) => `${batch.epoch}:${id}`));
    return ids;
  } finally {
    await reader.close();
  }
}

function expectExactlyOncePerEpoch(ids: string[]): void {
  expect(new Set(ids).size).toBe(ids.length);
  for (const epoch of [0, 1])
    expect(ids.filter((id) => id.startsWith(`${epoch}:`)).length).toBe(rows.length);
}

describe('resume in a new reader (a new process)', () => {
  it('continues mid-epoch without repeating or skipping an id, into the next epoch', async () => {
    const first = await readThenSave(17, {});
    expect(first.state).toMatchObject({ version: 2, epoch: 0, delivered: 17 * 40, window: [] });
    const rest = await resumeAndFinish(first.state, {});
    expectExactlyOncePerEpoch([...first.ids, ...rest]);
  }, 60_000);

  it('continues after ooo delivery, skipping the batches delivered ahead of the prefix', async () => {
    const first = await readThenSave(23, { ooo: true, prefetchBuffers: 8 });
    const { delivered, window } = first.state;
    expect(delivered + window.reduce((t, [s, e]) => t + e - s, 0)).toBe(23 * 40);
    const rest = await resumeAndFinish(first.state, { ooo: true, prefetchBuffers: 8 });
    expectExactlyOncePerEpoch([...first.ids, ...rest]);
  }, 60_000);

  it('refuses a state from another configuration or id list, naming the field', async () => {
    const { state } = await readThenSave(2, {});
    const reader = await open({ seed: 4 });
    try {
      expect(() => reader.resume(state)).toThrow(CassdlStateError);
      expect(() => reader.resume(state)).toThrow(/seed: state has 3, reader has 4/);
      expect(() => reader.resume({ ...state, seed: 4, datasetFingerprint: '00000000' })).toThrow(
        /datasetFingerprint/,
      );
      expect(() => reader.resume({ ...state, seed: 4, delivered: 10_000 * 40 })).toThrow(
        /past the .* rows/,
      );
      expect(() => reader.resume(JSON.parse('{"version":3}'))).toThrow(
        /unsupported state version 3/,
      );
    } finally {
      await reader.close();
    }
  }, 60_000);
});
