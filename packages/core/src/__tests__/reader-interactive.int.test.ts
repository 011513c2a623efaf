import { formatUuid } from '@cassdl/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CassdlMissingRowError, CassdlStateError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import { checkBatch } from './helpers/batches.js';
import { connection, ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows();
const byId = new Map(rows.map((r) => [r.id, r]));
const ABSENT = 'a0000000-0000-4000-8000-00000000beef';

beforeAll(() => ensureDataset(rows), 120_000);

describe('interactive fetch (no id list)', () => {
  let reader: CassandraReader;
  beforeAll(async () => {
    reader = await CassandraReader.open({
      connection: await connection(),
      table: `${KEYSPACE}.data_int`,
      engine: 'driver',
    });
  }, 60_000);
  afterAll(() => reader?.close());

  it('returns the rows of the given ids in order, many fetches outstanding at once', async () => {
    const groups = Array.from({ length: 12 }, (_, g) => rows.slice(g * 37, g * 37 + 37));
    const batches = await Promise.all(
      groups.map((group, g) =>
        g % 2 === 0 ? reader.fetch(group.map((r) => r.id)) : reader.fetch(packKeys(group)),
      ),
    );
    batches.forEach((batch, g) => {
      expect(batch.epoch).toBe(-1);
      expect(checkBatch(batch, byId)).toEqual(groups[g]?.map((r) => r.id));
    });
    expect(new Set(batches.map((b) => b.index)).size).toBe(12);
  }, 30_000);

  it('fails a missing row with an error naming its id', async () => {
    const ids = [rows[0]?.id as string, ABSENT];
    const error = await reader.fetch(ids).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassdlMissingRowError);
    expect((error as CassdlMissingRowError).id).toBe(ABSENT);
    expect((error as Error).message).toContain(ABSENT);
    expect((error as Error).message).toContain("onMissing: 'skip'");
  });

  it('has no epochs or state without an id list', () => {
    expect(() => reader.state()).toThrow(CassdlStateError);
    expect(() => reader.epoch()).toThrow(/needs an id list/);
  });

  it('rejects bad ids before any request', async () => {
    await expect(reader.fetch(['not-a-uuid'])).rejects.toThrow(/uuids\[0\]/);
    await expect(reader.fetch(new Uint8Array(15))).rejects.toThrow(/16 bytes per id/);
  });
});

describe("onMissing: 'skip'", () => {
  it('leaves missing rows out, counts them, and keeps the rest of the epoch', async () => {
    const ids = [...rows.slice(0, 99).map((r) => r.id), ABSENT];
    const reader = await CassandraReader.open({
      connection: await connection(),
      table: `${KEYSPACE}.data_int`,
      engine: 'driver',
      sourceUuids: ids,
      batchSize: 25,
      shuffleEveryEpoch: false,
      onMissing: 'skip',
    });
    try {
      const seen: string[] = [];
      for await (const batch of reader.epoch()) seen.push(...checkBatch(batch, byId));
      expect(seen).toEqual(ids.slice(0, 99));
      expect(reader.metrics().missing).toBe(1);
      const direct = await reader.fetch([ABSENT, rows[5]?.id as string]);
      expect(direct.size).toBe(1);
      expect(formatUuid(direct.ids, 0)).toBe(rows[5]?.id);
    } finally {
      await reader.close();
    }
  }, 60_000);
});
