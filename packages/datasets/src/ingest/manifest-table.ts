import {
  type IngestManifest,
  ingestManifestSchema,
  quoteIdentifier,
  validate,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';

/**
 * Ingest manifests live in the dataset's own keyspace, one row per data
 * table, so whoever can read the data can read how it was made (class
 * names, source, tool) without a side file to lose. The multilabel
 * vocabulary sits beside the manifest JSON (the manifest format has no field
 * for it).
 */
export const MANIFEST_TABLE = 'cassdl_manifest';

export function createManifestTableCql(keyspace: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(keyspace)}.${quoteIdentifier(MANIFEST_TABLE)} ` +
    '(data_table text PRIMARY KEY, manifest text, vocabulary list<text>)'
  );
}

export async function writeManifest(
  client: cassandra.Client,
  manifest: IngestManifest,
  vocabulary: readonly string[] | undefined,
): Promise<void> {
  await client.execute(
    `INSERT INTO ${quoteIdentifier(manifest.keyspace.name)}.${quoteIdentifier(MANIFEST_TABLE)} ` +
      '(data_table, manifest, vocabulary) VALUES (?, ?, ?)',
    [manifest.dataTable.table, JSON.stringify(manifest), vocabulary ?? null],
    { prepare: true },
  );
}

/** A data table's stored manifest (and vocabulary), or null when it has none. */
export async function readManifest(
  client: cassandra.Client,
  keyspace: string,
  dataTable: string,
): Promise<{ manifest: IngestManifest; vocabulary: string[] | null } | null> {
  let rs: cassandra.types.ResultSet;
  try {
    rs = await client.execute(
      `SELECT manifest, vocabulary FROM ${quoteIdentifier(keyspace)}.${quoteIdentifier(MANIFEST_TABLE)} WHERE data_table = ?`,
      [dataTable],
      { prepare: true },
    );
  } catch {
    return null; // no manifest table: not ingested by cassdl
  }
  const row = rs.first();
  if (row === null) return null;
  const manifest = validate(
    ingestManifestSchema,
    JSON.parse(String(row.get('manifest'))),
    'manifest',
    'ingest manifest',
  );
  return { manifest, vocabulary: (row.get('vocabulary') as string[] | null) ?? null };
}
