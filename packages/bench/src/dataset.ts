import { randomBytes, randomUUID } from 'node:crypto';
import { createDataTableCql, createKeyspaceCql, packUuids, rowReadCql } from '@cassdl/schema';
import cassandra from 'cassandra-driver';

export interface BenchDatasetOptions {
  readonly keyspace: string;
  /** Rows. Default 10,000. */
  readonly samples: number;
  /** Bytes per row. Default 110,000 (an ImageNet-size JPEG). */
  readonly blobSize: number;
  /** Progress lines while writing. */
  readonly onProgress?: (written: number, total: number) => void;
}

/** The bench table: `<keyspace>.data (id uuid, label int, data blob)`. */
export const BENCH_TABLE = 'data';

/** The bench table's layout in `keyspace`. */
function benchTable(keyspace: string) {
  return {
    keyspace,
    table: BENCH_TABLE,
    idCol: 'id',
    dataCol: 'data',
    labelCol: 'label',
    labelType: 'int',
  } as const;
}

/** The row read of the bench table: what the plain baseline executes per id. */
export function benchRowReadCql(keyspace: string): string {
  return rowReadCql(benchTable(keyspace));
}

/**
 * Creates (once) a keyspace of random, distinct blobs for throughput runs
 * and returns their ids. A `manifest` table remembers what was written, so
 * later runs with the same size reuse it and a changed size rewrites it.
 */
export async function ensureBenchDataset(
  client: cassandra.Client,
  options: BenchDatasetOptions,
): Promise<Uint8Array> {
  const ks = options.keyspace;
  await client.execute(
    createKeyspaceCql({
      name: ks,
      replication: { class: 'SimpleStrategy', replicationFactor: 1 },
      durableWrites: true,
    }),
  );
  await client.execute(createDataTableCql(benchTable(ks)));
  await client.execute(
    `CREATE TABLE IF NOT EXISTS "${ks}".manifest (name text PRIMARY KEY, samples int, blob_size int, ids list<uuid>)`,
  );
  const manifest = await client.execute(
    `SELECT samples, blob_size, ids FROM "${ks}".manifest WHERE name = 'bench'`,
  );
  const row = manifest.first();
  if (row?.get('samples') === options.samples && row.get('blob_size') === options.blobSize) {
    return packUuids((row.get('ids') as cassandra.types.Uuid[]).map((u) => u.toString()));
  }
  await client.execute(`TRUNCATE "${ks}"."${BENCH_TABLE}"`);
  const ids = Array.from({ length: options.samples }, () => randomUUID());
  const insert = `INSERT INTO "${ks}"."${BENCH_TABLE}" (id, label, data) VALUES (?, ?, ?)`;
  const chunk = 500;
  for (let start = 0; start < ids.length; start += chunk) {
    const slice = ids.slice(start, start + chunk);
    await cassandra.concurrent.executeConcurrent(
      client,
      insert,
      slice.map((id, i) => [id, start + i, randomBytes(options.blobSize)]),
      { concurrencyLevel: 32 },
    );
    options.onProgress?.(start + slice.length, ids.length);
  }
  await client.execute(
    `INSERT INTO "${ks}".manifest (name, samples, blob_size, ids) VALUES ('bench', ?, ?, ?)`,
    [options.samples, options.blobSize, ids],
    { prepare: true },
  );
  return packUuids(ids);
}
