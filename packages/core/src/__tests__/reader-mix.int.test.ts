import { createDataTableCql, formatUuid } from '@cassdl/schema';
import { runNativeTests } from '@cassdl/test-utils';
import cassandra from 'cassandra-driver';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeNative } from '../engines/native.js';
import { SeededRandom } from '../plan/prng.js';
import { CassandraReader } from '../reader/reader.js';
import { connection, ensureDataset, KEYSPACE, testRows } from './helpers/dataset.js';

/** Two tables with the same columns; table B's labels are offset so each row says where it came from. */
const PER_TABLE = 400;
const B_LABEL = 1_000_000;
const tableA = `${KEYSPACE}.mix_a`;
const tableB = `${KEYSPACE}.mix_b`;

function mixRows(seed: number) {
  const random = new SeededRandom(seed, 18);
  return Array.from({ length: PER_TABLE }, (_, i) => {
    const key = new Uint8Array(16);
    for (let k = 0; k < 16; k++) key[k] = random.nextBelow(256);
    key[6] = ((key[6] as number) & 0x0f) | 0x40;
    key[8] = ((key[8] as number) & 0x3f) | 0x80;
    return { id: formatUuid(key), label: i, data: Buffer.from(`row ${seed}:${i}`) };
  });
}
const rowsA = mixRows(1);
const rowsB = mixRows(2).map((r) => ({ ...r, label: r.label + B_LABEL }));

beforeAll(async () => {
  await ensureDataset(testRows()); // the keyspace
  const c = await connection();
  const client = new cassandra.Client({
    contactPoints: c.contactPoints,
    protocolOptions: { port: c.port },
    localDataCenter: c.localDataCenter,
  });
  await client.connect();
  try {
    for (const [table, rows] of [
      ['mix_a', rowsA],
      ['mix_b', rowsB],
    ] as const) {
      const dataTable = {
        keyspace: KEYSPACE,
        table,
        idCol: 'id',
        dataCol: 'data',
        labelCol: 'label',
        labelType: 'int' as const,
      };
      await client.execute(createDataTableCql(dataTable));
      await cassandra.concurrent.executeConcurrent(
        client,
        `INSERT INTO ${KEYSPACE}.${table} (id, label, data) VALUES (?, ?, ?)`,
        rows.map((r) => [r.id, r.label, r.data]),
        { concurrencyLevel: 64 },
      );
    }
  } finally {
    await client.shutdown();
  }
}, 120_000);

async function readMix(engine: 'driver' | 'native') {
  const reader = await CassandraReader.open({
    connection: await connection(),
    table: tableA,
    sources: [
      { table: tableA, sourceUuids: rowsA.map((r) => r.id), weight: 0.7 },
      { table: tableB, sourceUuids: rowsB.map((r) => r.id), weight: 0.3 },
    ],
    epochSize: 10_000,
    batchSize: 100,
    seed: 5,
    engine,
  });
  const fromB = { labels: 0, batchSources: 0, rows: 0 };
  try {
    for await (const batch of reader) {
      if (batch.labels.kind !== 'int') throw new Error('int labels expected');
      for (let i = 0; i < batch.size; i++) {
        const label = batch.labels.values[i] as number;
        const rows = label >= B_LABEL ? rowsB : rowsA;
        const row = rows[label % B_LABEL];
        // The bytes came from the table the plan named for this id.
        expect(formatUuid(batch.ids, i * 16)).toBe(row?.id);
        expect(
          Buffer.from(batch.data.subarray(batch.dataOffsets[i], batch.dataOffsets[i + 1])).equals(
            row?.data ?? Buffer.alloc(0),
          ),
        ).toBe(true);
        if (label >= B_LABEL) fromB.labels++;
      }
      fromB.batchSources += batch.sources?.[1] ?? 0;
      expect((batch.sources ?? []).reduce((a, b) => a + b, 0)).toBe(batch.size);
      fromB.rows += batch.size;
    }
    return { fromB, metrics: reader.metrics() };
  } finally {
    await reader.close();
  }
}

describe('weighted mix of two tables (real server)', () => {
  const engines = ['driver', 'native'] as const;
  for (const engine of engines) {
    it(`${engine} engine: 70/30 over 10,000 samples within 1%, rows from the right table, counted per batch and in metrics`, async (ctx) => {
      if (engine === 'native' && !runNativeTests(await probeNative())) ctx.skip();
      const { fromB, metrics } = await readMix(engine);
      expect(fromB.rows).toBe(10_000);
      expect(Math.abs(fromB.labels / fromB.rows - 0.3)).toBeLessThan(0.01);
      expect(fromB.batchSources).toBe(fromB.labels);
      expect(metrics.sources).toEqual({ [tableA]: 10_000 - fromB.labels, [tableB]: fromB.labels });
    }, 120_000);
  }
});
