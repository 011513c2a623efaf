import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { connectCassandra } from '@cassdl/core';
import {
  type ConnectionOptionsInput,
  createDataTableCql,
  createKeyspaceCql,
  dataTableSchema,
  keyspaceSchema,
} from '@cassdl/schema';
import cassandra from 'cassandra-driver';

export interface RandomDataset {
  /** Row ids as UUID strings, in write order. */
  ids: string[];
  /** sha256 (hex) of each row's data, by id. */
  digests: Map<string, string>;
  labels: Map<string, number>;
}

export interface RandomDatasetOptions {
  keyspace: string;
  rows: number;
  blobBytes: number;
  classes: number;
}

/**
 * Creates `<keyspace>.data` from @cassdl/schema's DDL and fills it with
 * distinct random blobs, so a wrong or repeated row is caught by its digest.
 */
export async function writeRandomDataset(
  connection: ConnectionOptionsInput,
  options: RandomDatasetOptions,
): Promise<RandomDataset> {
  const client = await connectCassandra(connection);
  try {
    const keyspace = keyspaceSchema.parse({ name: options.keyspace });
    const table = dataTableSchema.parse({
      keyspace: options.keyspace,
      table: 'data',
      labelType: 'int',
    });
    await client.execute(createKeyspaceCql(keyspace));
    await client.execute(createDataTableCql(table));
    await client.execute(`TRUNCATE "${options.keyspace}"."data"`);

    const dataset: RandomDataset = { ids: [], digests: new Map(), labels: new Map() };
    const rows = Array.from({ length: options.rows }, (_, i) => {
      const id = randomUUID();
      const data = randomBytes(options.blobBytes);
      const label = i % options.classes;
      dataset.ids.push(id);
      dataset.digests.set(id, createHash('sha256').update(data).digest('hex'));
      dataset.labels.set(id, label);
      return [id, label, data];
    });
    await cassandra.concurrent.executeConcurrent(
      client,
      `INSERT INTO "${options.keyspace}"."data" (id, label, data) VALUES (?, ?, ?)`,
      rows,
      {
        concurrencyLevel: 32,
        raiseOnFirstError: true,
      },
    );
    return dataset;
  } finally {
    await client.shutdown();
  }
}
