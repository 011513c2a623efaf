import type { DataTable, Keyspace, MetadataTable } from './table.js';

/**
 * Quotes a CQL identifier: `"name"`, with inner `"` doubled. cassdl quotes
 * every name it writes, so names are case-sensitive exactly as given.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A CQL string literal: `'text'`, with inner `'` doubled. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function qualified(keyspace: string, table: string): string {
  return `${quoteIdentifier(keyspace)}.${quoteIdentifier(table)}`;
}

/** `CREATE KEYSPACE IF NOT EXISTS` with the keyspace's replication and durable writes. */
export function createKeyspaceCql(ks: Keyspace): string {
  const r = ks.replication;
  const entries =
    r.class === 'SimpleStrategy'
      ? [`'class': 'SimpleStrategy'`, `'replication_factor': ${r.replicationFactor}`]
      : [
          `'class': 'NetworkTopologyStrategy'`,
          ...Object.entries(r.dataCenters).map(([dc, rf]) => `${quoteString(dc)}: ${rf}`),
        ];
  return (
    `CREATE KEYSPACE IF NOT EXISTS ${quoteIdentifier(ks.name)} ` +
    `WITH replication = {${entries.join(', ')}} AND durable_writes = ${ks.durableWrites}`
  );
}

/**
 * The data table: `id uuid PRIMARY KEY, label int|blob, data blob` (no label
 * column for `'none'`). Compression is off as in cassandra-dali-plugin:
 * samples are already-compressed media, so it costs CPU and saves nothing.
 */
export function createDataTableCql(t: DataTable): string {
  const columns = [`${quoteIdentifier(t.idCol)} uuid PRIMARY KEY`];
  if (t.labelType !== 'none') columns.push(`${quoteIdentifier(t.labelCol)} ${t.labelType}`);
  columns.push(`${quoteIdentifier(t.dataCol)} blob`);
  return (
    `CREATE TABLE IF NOT EXISTS ${qualified(t.keyspace, t.table)} (${columns.join(', ')}) ` +
    `WITH compression = {'enabled': 'false'}`
  );
}

/** The metadata table: id, label (unless `'none'`) and the extra columns, default compression. */
export function createMetadataTableCql(t: MetadataTable): string {
  const columns = [`${quoteIdentifier(t.idCol)} uuid PRIMARY KEY`];
  if (t.labelType !== 'none') columns.push(`${quoteIdentifier(t.labelCol)} ${t.labelType}`);
  for (const [name, type] of Object.entries(t.extraColumns)) {
    columns.push(`${quoteIdentifier(name)} ${type}`);
  }
  return `CREATE TABLE IF NOT EXISTS ${qualified(t.keyspace, t.table)} (${columns.join(', ')})`;
}

/** The prepared row read both engines execute: `SELECT "data"[, "label"] FROM "ks"."t" WHERE "id" = ?`. */
export function rowReadCql(t: DataTable): string {
  const columns = [quoteIdentifier(t.dataCol)];
  if (t.labelType !== 'none') columns.push(quoteIdentifier(t.labelCol));
  return (
    `SELECT ${columns.join(', ')} FROM ${qualified(t.keyspace, t.table)} ` +
    `WHERE ${quoteIdentifier(t.idCol)} = ?`
  );
}
