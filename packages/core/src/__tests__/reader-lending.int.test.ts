import type { LentBatch } from '@cassdl/schema';
import { runNativeTests } from '@cassdl/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeNative } from '../engines/native.js';
import { CassdlStateError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import { checkBatch } from './helpers/batches.js';
import { connection, ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows();
const byId = new Map(rows.map((r) => [r.id, r]));
const sourceUuids = packKeys(rows);
const native = await probeNative();
const engines = runNativeTests(native) ? (['native', 'driver'] as const) : (['driver'] as const);

beforeAll(() => ensureDataset(rows), 120_000);

async function open(engine: 'native' | 'driver'): Promise<CassandraReader> {
  return CassandraReader.open({
    connection: await connection(),
    table: `${KEYSPACE}.data_blob`,
    labelType: 'blob',
    sourceUuids,
    batchSize: 100,
    prefetchBuffers: 2,
    engine,
  });
}

describe.each(engines)('batches lent by the %s engine', (engine) => {
  it('are recycled when the next batch is requested, and then fail loudly', async () => {
    const reader = await open(engine);
    try {
      let previous: LentBatch | null = null;
      for await (const batch of reader.epoch()) {
        checkBatch(batch, byId);
        if (previous !== null) {
          const stale = previous;
          expect(() => stale.data).toThrow(CassdlStateError);
          expect(() => stale.labels).toThrow(/retain\(\)/);
        }
        previous = batch;
      }
      const last = previous as LentBatch;
      expect(() => last.ids).toThrow(CassdlStateError); // the end of the epoch recycles it too
    } finally {
      await reader.close();
    }
  });

  it('give their memory back to the engine when recycled: a view kept past that reads as empty', async () => {
    const reader = await open(engine);
    try {
      let stale: Uint8Array | null = null;
      for await (const batch of reader.epoch()) {
        if (stale === null) stale = batch.data;
        else break;
      }
      // The first batch was recycled when the second was requested: the driver engine moved its
      // arena back to its worker, the native engine (in test builds) detached its buffer.
      expect((stale as Uint8Array).length).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('stay valid while retained, across many later batches, until release()', async () => {
    const reader = await open(engine);
    try {
      const kept: LentBatch[] = [];
      let n = 0;
      for await (const batch of reader.epoch()) {
        if (n++ % 4 === 0) kept.push(batch.retain());
        // Everything retained so far still holds its own rows.
        for (const k of kept) checkBatch(k, byId);
      }
      expect(kept.length).toBe(5);
      for (const k of kept) {
        checkBatch({ ...k }, byId); // a spread copy carries the arrays
        k.release();
        k.release(); // idempotent
        expect(() => k.dataOffsets).toThrow(CassdlStateError);
      }
    } finally {
      await reader.close();
    }
  });

  it('count against memoryBudget while handed out or retained, until recycled or released', async () => {
    const reader = await open(engine);
    const bytes = (b: LentBatch) =>
      b.data.byteLength + (b.labels.kind === 'blob' ? b.labels.data.byteLength : 0);
    try {
      const kept: LentBatch[] = [];
      let keptBytes = 0;
      let n = 0;
      for await (const batch of reader.epoch()) {
        // The batch in hand and every retained one, nothing recycled.
        expect(reader.metrics().memory.handedOutBytes).toBe(keptBytes + bytes(batch));
        if (n++ % 4 === 0) {
          kept.push(batch.retain());
          keptBytes += bytes(batch);
        }
      }
      expect(reader.metrics().memory.handedOutBytes).toBe(keptBytes);
      for (const k of kept) k.release();
      expect(reader.metrics().memory.handedOutBytes).toBe(0);
      // The driver engine's rows are the batches' own memory: nothing beyond them to count.
      if (engine === 'driver') expect(reader.metrics().memory.engineExtraBytes).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('breaking out recycles the batch in hand and keeps the position', async () => {
    const reader = await open(engine);
    try {
      let held: LentBatch | null = null;
      for await (const batch of reader.epoch()) {
        held = batch;
        break;
      }
      expect(() => (held as LentBatch).data).toThrow(CassdlStateError);
      let rest = 0;
      for await (const batch of reader.epoch()) rest += checkBatch(batch, byId).length;
      expect(rest).toBe(rows.length - 100);
    } finally {
      await reader.close();
    }
  });
});
