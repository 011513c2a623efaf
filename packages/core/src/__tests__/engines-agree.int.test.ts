import type { HostLatency, RawBatch } from '@cassdl/schema';
import { runNativeTests } from '@cassdl/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeNative } from '../engines/native.js';
import { CassandraReader } from '../reader/reader.js';
import { connection, ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows();
const native = await probeNative();

beforeAll(() => ensureDataset(rows), 120_000);

async function readEpoch(
  engine: 'driver' | 'native',
  table: string,
  labelType: 'int' | 'blob' | 'none',
  hosts: HostLatency[] = [],
): Promise<RawBatch[]> {
  const reader = await CassandraReader.open({
    connection: await connection(),
    table: `${KEYSPACE}.${table}`,
    labelType,
    sourceUuids: packKeys(rows),
    batchSize: 100,
    seed: 9,
    engine,
  });
  try {
    expect(reader.engineKind).toBe(engine);
    const out: RawBatch[] = [];
    for await (const batch of reader.epoch()) out.push(batch.retain());
    hosts.push(...reader.metrics().hosts);
    return out;
  } finally {
    await reader.close();
  }
}

/** The driver engine is the oracle: the native engine must return byte-identical batches. */
describe.skipIf(!runNativeTests(native))(
  `native engine vs driver engine${native.available ? '' : ' (skipped: native-io does not load here)'}`,
  () => {
    for (const [table, labelType] of [
      ['data_int', 'int'],
      ['data_blob', 'blob'],
      ['data_none', 'none'],
    ] as const) {
      it(`returns identical batches for ${table}`, async () => {
        const [fromDriver, fromNative] = [
          await readEpoch('driver', table, labelType),
          await readEpoch('native', table, labelType),
        ];
        expect(fromNative.length).toBe(fromDriver.length);
        fromDriver.forEach((d, i) => {
          const n = fromNative[i] as RawBatch;
          expect([n.epoch, n.index, n.size, n.padding]).toEqual([
            d.epoch,
            d.index,
            d.size,
            d.padding,
          ]);
          expect(Buffer.from(n.ids).equals(Buffer.from(d.ids))).toBe(true);
          expect(Buffer.from(n.data).equals(Buffer.from(d.data))).toBe(true);
          expect(Array.from(n.dataOffsets)).toEqual(Array.from(d.dataOffsets));
          expect(n.labels.kind).toBe(d.labels.kind);
          if (n.labels.kind === 'int' && d.labels.kind === 'int')
            expect(Array.from(n.labels.values)).toEqual(Array.from(d.labels.values));
          if (n.labels.kind === 'blob' && d.labels.kind === 'blob') {
            expect(Buffer.from(n.labels.data).equals(Buffer.from(d.labels.data))).toBe(true);
            expect(Array.from(n.labels.offsets)).toEqual(Array.from(d.labels.offsets));
          }
        });
      }, 60_000);
    }

    it('both count the row requests each host answered and their latency (the controller reads these)', async () => {
      const driverHosts: HostLatency[] = [];
      const nativeHosts: HostLatency[] = [];
      await readEpoch('driver', 'data_int', 'int', driverHosts);
      await readEpoch('native', 'data_int', 'int', nativeHosts);
      for (const hosts of [driverHosts, nativeHosts]) {
        const answered = hosts.reduce((t, h) => t + h.answered, 0);
        expect(answered).toBeGreaterThanOrEqual(rows.length);
        for (const h of hosts) {
          expect(h.totalMs).toBeGreaterThan(0);
          expect(h.p99).toBeGreaterThanOrEqual(h.p50);
        }
      }
      // Named the same way (`address:port`), so per-host figures compare across engines.
      expect(driverHosts.map((h) => h.host).sort()).toEqual(nativeHosts.map((h) => h.host).sort());
    }, 60_000);
  },
);
