import type cassandra from 'cassandra-driver';

/** A column as `system_schema.columns` describes it. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  /** `partition_key`, `clustering` or `regular`. */
  readonly kind: string;
  readonly position: number;
}

/** The table's columns, key columns first, or null when the table does not exist. */
export async function tableColumns(
  client: cassandra.Client,
  keyspace: string,
  table: string,
): Promise<ColumnInfo[] | null> {
  const rs = await client.execute(
    'SELECT column_name, type, kind, position FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true },
  );
  if (rs.rows.length === 0) return null;
  const order: Record<string, number> = { partition_key: 0, clustering: 1, regular: 2, static: 3 };
  return rs.rows
    .map((r) => ({
      name: String(r.get('column_name')),
      type: String(r.get('type')),
      kind: String(r.get('kind')),
      position: Number(r.get('position')),
    }))
    .sort(
      (a, b) =>
        (order[a.kind] ?? 9) - (order[b.kind] ?? 9) ||
        a.position - b.position ||
        a.name.localeCompare(b.name),
    );
}
