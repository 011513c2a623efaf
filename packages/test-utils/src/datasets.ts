import { randomBytes, randomUUID } from 'node:crypto';
import { createDataTableCql, createKeyspaceCql, type LabelType, packUuids } from '@cassdl/schema';
import cassandra from 'cassandra-driver';

/** A table `seedTable` wrote. */
export interface SeededTable {
  readonly keyspace: string;
  readonly table: string;
  readonly labelType: LabelType;
  /** Ids in insertion order, 16 bytes each. */
  readonly ids: Uint8Array[];
}

/** Creates `keyspace` (SimpleStrategy, RF 1) if missing. */
export async function createKeyspace(client: cassandra.Client, keyspace: string): Promise<void> {
  await client.execute(
    createKeyspaceCql({
      name: keyspace,
      replication: { class: 'SimpleStrategy', replicationFactor: 1 },
      durableWrites: true,
    }),
  );
}

/** Creates `keyspace` (RF 1, if missing) and its data table `table` (id, label, data), if missing. */
export async function createDataTable(
  client: cassandra.Client,
  keyspace: string,
  table = 'data',
  labelType: LabelType = 'int',
): Promise<void> {
  await createKeyspace(client, keyspace);
  await client.execute(
    createDataTableCql({
      keyspace,
      table,
      idCol: 'id',
      dataCol: 'data',
      labelCol: 'label',
      labelType,
    }),
  );
}

/**
 * Creates `keyspace.table` afresh with `count` rows of random, distinct
 * blobs (sizes 0..4 KiB; row 0 empty) and labels of `labelType`.
 */
export async function seedTable(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  labelType: LabelType,
  count: number,
): Promise<SeededTable> {
  await createKeyspace(client, keyspace);
  await client.execute(`DROP TABLE IF EXISTS ${keyspace}.${table}`);
  const label = labelType === 'none' ? '' : `, label ${labelType}`;
  await client.execute(
    `CREATE TABLE ${keyspace}.${table} (id uuid PRIMARY KEY, data blob${label})`,
  );
  const ids = Array.from({ length: count }, () => new Uint8Array(randomBytes(16)));
  const insert =
    labelType === 'none'
      ? `INSERT INTO ${keyspace}.${table} (id, data) VALUES (?, ?)`
      : `INSERT INTO ${keyspace}.${table} (id, data, label) VALUES (?, ?, ?)`;
  const params = ids.map((id, i) => {
    // Distinct by construction (the index is in the bytes), random otherwise; row 0 has an empty blob.
    const data = Buffer.concat([
      Buffer.from(`${i}:`),
      randomBytes(i === 0 ? 0 : (i * 7919) % 4096),
    ]);
    const uuid = new cassandra.types.Uuid(Buffer.from(id));
    if (labelType === 'none') return [uuid, i === 0 ? Buffer.alloc(0) : data];
    const value = labelType === 'int' ? (i * 2654435761) | 0 : randomBytes(i % 64);
    return [uuid, data, value];
  });
  await cassandra.concurrent.executeConcurrent(client, insert, params, { concurrencyLevel: 64 });
  return { keyspace, table, labelType, ids };
}

/**
 * Writes `rows` random, distinct rows of `rowBytes` each (int label = index)
 * into `keyspace.data`, creating it if missing; returns their ids packed for `sourceUuids`.
 */
export async function writeRandomRows(
  client: cassandra.Client,
  keyspace: string,
  rows: number,
  rowBytes: number,
): Promise<Uint8Array> {
  await createDataTable(client, keyspace);
  const ids = Array.from({ length: rows }, () => randomUUID());
  await cassandra.concurrent.executeConcurrent(
    client,
    `INSERT INTO ${keyspace}.data (id, label, data) VALUES (?, ?, ?)`,
    ids.map((id, i) => [id, i, randomBytes(rowBytes)]),
    { concurrencyLevel: 32 },
  );
  return packUuids(ids);
}

/** What cassandra-driver reads for one id: the reference an engine must match byte for byte. */
export async function readWithDriver(
  client: cassandra.Client,
  seeded: SeededTable,
  id: Uint8Array,
): Promise<{ data: Buffer; label: number | Buffer | null } | null> {
  const columns = seeded.labelType === 'none' ? 'data' : 'data, label';
  const result = await client.execute(
    `SELECT ${columns} FROM ${seeded.keyspace}.${seeded.table} WHERE id = ?`,
    [new cassandra.types.Uuid(Buffer.from(id))],
    { prepare: true },
  );
  const row = result.first();
  if (!row) return null;
  return {
    data: row.get('data') as Buffer,
    label: seeded.labelType === 'none' ? null : (row.get('label') as number | Buffer),
  };
}
