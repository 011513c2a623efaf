import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CassandraReader, fromDaliOptions } from '@cassdl/core';
import { type ConnectionOptionsInput, formatUuid, type ReaderOptionsInput } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSplitPickle } from '../dali/split-pickle.js';
import { uuidsFromPickle } from '../dali/uuid-pickle.js';
import { inspectTable } from '../inspect/inspect-table.js';
import { exportUuids } from '../uuids/export-uuids.js';
import { DALI_FIXTURES, daliDataset } from './helpers/dali-fixtures.js';
import { testDb, testKeyspace } from './helpers/test-db.js';

// The plugin's tables (examples/splitfile/create_tables.cql) holding exactly
// the rows its CassandraClassificationWriter wrote when the fixtures were
// made; the split pickle is its split generator's output over that metadata.
const dataset = daliDataset();
const ks = testKeyspace('dali');
let connection: ConnectionOptionsInput;
let client: cassandra.Client;

beforeAll(async () => {
  ({ connection, client } = await testDb());
  await client.execute(
    `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  await client.execute(
    `CREATE TABLE ${ks}.data(id uuid, label int, data blob, PRIMARY KEY ((id)))`,
  );
  await client.execute(
    `CREATE TABLE ${ks}.metadata(label int, or_label text, or_split text, id uuid, PRIMARY KEY ((id)))`,
  );
  for (const r of dataset.data)
    await client.execute(
      `INSERT INTO ${ks}.data (id, label, data) VALUES (?, ?, ?)`,
      [r.id, r.label, Buffer.from(r.data, 'base64')],
      { prepare: true },
    );
  for (const r of dataset.metadata)
    await client.execute(
      `INSERT INTO ${ks}.metadata (id, label, or_label, or_split) VALUES (?, ?, ?, ?)`,
      [r.id, r.label, r.or_label, r.or_split],
      { prepare: true },
    );
}, 60_000);

afterAll(async () => {
  await client?.execute(`DROP KEYSPACE IF EXISTS ${ks}`);
  await client?.shutdown();
}, 60_000);

/** Every id one epoch of `options` delivers (padding left out), sorted, and each id's label. */
async function readEpoch(options: ReaderOptionsInput) {
  const reader = await CassandraReader.open(options);
  const ids: string[] = [];
  const labels = new Map<string, number>();
  try {
    for await (const batch of reader.epoch()) {
      for (let i = 0; i < batch.size - batch.padding; i++) {
        const id = formatUuid(batch.ids, i * 16);
        ids.push(id);
        if (batch.labels.kind === 'int') labels.set(id, batch.labels.values[i] ?? -1);
      }
    }
  } finally {
    await reader.close();
  }
  return { ids: ids.sort(), labels };
}

describe('porting from cassandra-dali-plugin', () => {
  it("reads exactly the plugin's train and val ids from its imported split pickle", async () => {
    const file = await importSplitPickle({
      input: `${DALI_FIXTURES}split.p4.pckl`,
      keyspace: ks,
    });
    for (const name of ['train', 'val'] as const) {
      const { ids, labels } = await readEpoch({
        connection,
        table: `${ks}.data`,
        splitFile: file,
        splitName: name,
        batchSize: 4,
      });
      expect(ids).toEqual([...dataset.splits[name]].sort());
      for (const row of dataset.data.filter((r) => labels.has(r.id)))
        expect(labels.get(row.id)).toBe(row.label);
    }
  });

  it("maps the imagenette example's reader arguments to a reader of the same table", async () => {
    const sourceUuids = uuidsFromPickle(
      await readFile(`${DALI_FIXTURES}train.rows.pckl`),
      'train.rows',
    );
    const notices: string[] = [];
    // examples/imagenette/loop_read.py through examples/common/cassandra_reader.py,
    // with private_data.py for a local server without TLS.
    const { options } = fromDaliOptions(
      {
        name: 'Reader',
        cloud_config: null,
        cassandra_ips: connection.contactPoints,
        cassandra_port: connection.port,
        username: null,
        password: null,
        use_ssl: false,
        ssl_certificate: '',
        ssl_own_certificate: '',
        ssl_own_key: '',
        ssl_own_key_pass: '',
        table: `${ks}.data`,
        label_col: 'label',
        data_col: 'data',
        id_col: 'id',
        prefetch_buffers: 4,
        io_threads: 12,
        num_shards: 1,
        shard_id: 0,
        comm_threads: 1,
        copy_threads: 4,
        wait_threads: 2,
        label_type: 'int',
        ooo: true,
        slow_start: 4,
        source_uuids: sourceUuids,
        loop_forever: true,
        shuffle_every_epoch: true,
      },
      { onNotice: (n) => notices.push(n) },
    );
    expect(notices.filter((n) => n.includes('io_threads=12'))).toHaveLength(1);
    expect(options).toMatchObject({ connectionsPerHost: 12, prefetchBuffers: 4, ooo: true });
    const { ids, labels } = await readEpoch({ ...options, batchSize: 8 });
    expect(ids).toEqual([...dataset.rows].sort());
    for (const row of dataset.data) expect(labels.get(row.id)).toBe(row.label);
  });

  it("finds the plugin's column names and says which flag reads them", async () => {
    const report = await inspectTable({ connection, keyspace: ks, table: 'metadata' });
    expect(report.layoutHints).toContain(
      "or_split (cassandra-dali-plugin's name for original_split): pass --original-split-col or_split",
    );
    const output = join(await mkdtemp(join(tmpdir(), 'cassdl-dali-')), 'val.ids');
    const base = { connection, keyspace: ks, table: 'metadata', originalSplit: 'val', output };
    await expect(exportUuids(base)).rejects.toThrow(
      'has no original_split column to filter on (filters apply to the metadata table); it has or_split: pass --original-split-col or_split',
    );
    const summary = await exportUuids({ ...base, originalSplitCol: 'or_split' });
    const val = dataset.metadata.filter((r) => r.or_split === 'val').map((r) => r.id);
    expect(summary.exported).toBe(val.length);
    expect((await readFile(output, 'utf8')).trim().split('\n').sort()).toEqual(val.sort());
  });
});
