import {
  createDataTableCql,
  createKeyspaceCql,
  createMetadataTableCql,
  type DataTable,
  type Keyspace,
  type MetadataTable,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { CassdlIngestError } from '../ingest/errors.js';
import { tableColumns } from '../tables/columns.js';

/**
 * Creates the keyspace and tables when missing (an existing keyspace keeps
 * its replication), then checks that existing tables have the columns this
 * writer writes, so a mismatch fails before any row moves.
 */
export async function ensureTables(
  client: cassandra.Client,
  keyspace: Keyspace,
  data: DataTable,
  metadata: MetadataTable | null,
): Promise<void> {
  await client.execute(createKeyspaceCql(keyspace));
  await client.execute(createDataTableCql(data));
  if (metadata !== null) await client.execute(createMetadataTableCql(metadata));
  const dataColumns: Record<string, string> = { [data.idCol]: 'uuid', [data.dataCol]: 'blob' };
  if (data.labelType !== 'none') dataColumns[data.labelCol] = data.labelType;
  await checkColumns(client, data.keyspace, data.table, dataColumns);
  if (metadata === null) return;
  const metaColumns: Record<string, string> = {
    [metadata.idCol]: 'uuid',
    ...metadata.extraColumns,
  };
  if (metadata.labelType !== 'none') metaColumns[metadata.labelCol] = metadata.labelType;
  await checkColumns(client, metadata.keyspace, metadata.table, metaColumns);
}

async function checkColumns(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  wanted: Record<string, string>,
): Promise<void> {
  const columns = await tableColumns(client, keyspace, table);
  const have = new Map((columns ?? []).map((c) => [c.name, c.type]));
  const wrong = Object.entries(wanted)
    .filter(([name, type]) => have.get(name) !== type)
    .map(([name, type]) => `${name} ${type} (table has ${have.get(name) ?? 'no such column'})`);
  if (wrong.length > 0) {
    throw new CassdlIngestError(
      `table ${keyspace}.${table} exists with other columns than this ingest writes: needs ${wrong.join(', ')}; ` +
        'choose another --data-table/--metadata-table or keyspace',
      `${keyspace}.${table}`,
    );
  }
}
