import type { DataTable } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { CassdlSchemaMismatchError, type SchemaMismatch } from '../errors.js';

interface ColumnInfo {
  readonly type: string;
  readonly kind: string;
}

/**
 * Checks, against `system_schema`, that the data table exists and that its
 * id, data and label columns have the types the reader options imply. Every
 * mismatch is reported at once, before any row is read.
 */
export async function checkDataTable(client: cassandra.Client, t: DataTable): Promise<void> {
  const qualified = `${t.keyspace}.${t.table}`;
  const keyspace = await client.execute(
    'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
    [t.keyspace],
    { prepare: true },
  );
  if (keyspace.rowLength === 0) {
    throw new CassdlSchemaMismatchError(qualified, [
      { subject: `keyspace ${t.keyspace}`, expected: 'a keyspace', actual: 'missing' },
    ]);
  }
  const rows = await client.execute(
    'SELECT column_name, type, kind FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [t.keyspace, t.table],
    { prepare: true },
  );
  if (rows.rowLength === 0) {
    throw new CassdlSchemaMismatchError(qualified, [
      { subject: `table ${qualified}`, expected: 'a table', actual: 'missing' },
    ]);
  }
  const columns = new Map<string, ColumnInfo>(
    rows.rows.map((r) => [
      String(r.get('column_name')),
      { type: String(r.get('type')), kind: String(r.get('kind')) },
    ]),
  );
  const mismatches = expectedColumns(t).flatMap((e) => compare(e, columns.get(e.name), columns));
  if (mismatches.length > 0) throw new CassdlSchemaMismatchError(qualified, mismatches);
}

interface ExpectedColumn {
  readonly name: string;
  readonly option: string;
  readonly types: readonly string[];
  readonly partitionKey: boolean;
}

function expectedColumns(t: DataTable): ExpectedColumn[] {
  const expected: ExpectedColumn[] = [
    { name: t.idCol, option: 'idCol', types: ['uuid', 'timeuuid'], partitionKey: true },
    { name: t.dataCol, option: 'dataCol', types: ['blob'], partitionKey: false },
  ];
  if (t.labelType !== 'none') {
    expected.push({
      name: t.labelCol,
      option: `labelCol, labelType '${t.labelType}'`,
      types: [t.labelType],
      partitionKey: false,
    });
  }
  return expected;
}

function compare(
  e: ExpectedColumn,
  actual: ColumnInfo | undefined,
  all: Map<string, ColumnInfo>,
): SchemaMismatch[] {
  const subject = `column ${e.name} (${e.option})`;
  const want = `${e.types.join(' or ')}${e.partitionKey ? ', the only partition key' : ''}`;
  if (actual === undefined) {
    return [
      { subject, expected: want, actual: `missing (columns: ${[...all.keys()].join(', ')})` },
    ];
  }
  const problems: SchemaMismatch[] = [];
  if (!e.types.includes(actual.type))
    problems.push({ subject, expected: want, actual: actual.type });
  if (e.partitionKey) {
    const partitionKeys = [...all.entries()]
      .filter(([, c]) => c.kind === 'partition_key')
      .map(([n]) => n);
    if (actual.kind !== 'partition_key' || partitionKeys.length !== 1) {
      problems.push({
        subject,
        expected: want,
        actual: `partition key (${partitionKeys.join(', ')})`,
      });
    }
  }
  return problems;
}
