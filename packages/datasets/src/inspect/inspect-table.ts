import {
  type ConnectionOptionsInput,
  type IngestManifest,
  quoteIdentifier,
  schemaNameSchema,
  validate,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { z } from 'zod';
import { scanPages } from '../connection/paged-scan.js';
import { withClient } from '../connection/with-client.js';
import { readManifest } from '../ingest/manifest-table.js';
import { type ColumnInfo, tableColumns } from '../tables/columns.js';
import { CassdlTableError } from '../tables/errors.js';
import { layoutHints } from '../tables/plugin-names.js';
import { describeValue } from './describe-value.js';
import { type SizeStats, sizeStats } from './stats.js';

export interface InspectOptions {
  readonly connection: ConnectionOptionsInput;
  readonly keyspace: string;
  /** Default `data`. */
  readonly table?: string;
  /** Rows read for the blob size distribution. Default 200. */
  readonly sample?: number;
  /** When the server has no size estimate, count rows by a paged scan up to this many. Default 100,000. */
  readonly countCap?: number;
}

/** How many rows the table holds, and how that was learned. */
export type RowCount =
  | { readonly source: 'size_estimates'; readonly rows: number }
  | { readonly source: 'scan'; readonly rows: number; readonly capped: boolean }
  | { readonly source: 'unknown' };

export interface TableReport {
  readonly keyspace: string;
  readonly table: string;
  readonly columns: ColumnInfo[];
  readonly rowCount: RowCount;
  /** Blob column -> size distribution over the sampled rows. */
  readonly blobSizes: Record<string, SizeStats | null>;
  /** One row, each value as text (blobs as size + leading bytes in hex), or null for an empty table. */
  readonly sampleRow: Record<string, string> | null;
  /**
   * Columns under another naming than cassdl's (cassandra-dali-plugin's
   * `or_label`, `or_split`, ...), each with the flag that reads it.
   */
  readonly layoutHints: string[];
  /** The cassdl ingest manifest of this table, when it has one. */
  readonly manifest: IngestManifest | null;
}

const inspectSchema = z.strictObject({
  connection: z.custom<ConnectionOptionsInput>((v) => typeof v === 'object' && v !== null),
  keyspace: schemaNameSchema,
  table: schemaNameSchema.default('data'),
  sample: z.int().min(1).max(100_000).default(200),
  countCap: z.int().min(0).default(100_000),
});

/** Schema, row count, blob sizes and one row of a table. */
export async function inspectTable(input: InspectOptions): Promise<TableReport> {
  const o = validate(inspectSchema, input, 'inspect', 'inspect options');
  return withClient(o.connection, async (client) => {
    const name = `${o.keyspace}.${o.table}`;
    const columns = await tableColumns(client, o.keyspace, o.table);
    if (columns === null)
      throw new CassdlTableError(
        `table ${name} does not exist (check --keyspace and --table)`,
        name,
      );
    const from = `${quoteIdentifier(o.keyspace)}.${quoteIdentifier(o.table)}`;
    const blobs = columns.filter((c) => c.type === 'blob').map((c) => c.name);
    const key = columns.filter((c) => c.kind === 'partition_key').map((c) => c.name);
    return {
      keyspace: o.keyspace,
      table: o.table,
      columns,
      layoutHints: layoutHints(columns),
      rowCount: await rowCount(client, o.keyspace, o.table, from, key, o.countCap),
      blobSizes: await blobSizes(client, from, blobs, o.sample),
      sampleRow: await sampleRow(client, from),
      manifest: (await readManifest(client, o.keyspace, o.table))?.manifest ?? null,
    };
  });
}

/**
 * The server's estimate (`system.size_estimates`, refreshed every few
 * minutes, so empty on a fresh node), else a key-only paged scan up to `cap`.
 */
async function rowCount(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  from: string,
  key: readonly string[],
  cap: number,
): Promise<RowCount> {
  const rs = await client.execute(
    'SELECT partitions_count FROM system.size_estimates WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true },
  );
  const estimate = rs.rows.reduce((n, r) => n + Number(r.get('partitions_count') ?? 0), 0);
  if (estimate > 0) return { source: 'size_estimates', rows: estimate };
  if (cap === 0 || key.length === 0) return { source: 'unknown' };
  let rows = 0;
  const query = `SELECT ${key.map(quoteIdentifier).join(', ')} FROM ${from}`;
  for await (const page of scanPages(client, query, [], Math.min(cap, 5_000))) {
    rows += page.length;
    if (rows >= cap) return { source: 'scan', rows: cap, capped: true };
  }
  return { source: 'scan', rows, capped: false };
}

async function blobSizes(
  client: cassandra.Client,
  from: string,
  blobs: readonly string[],
  sample: number,
): Promise<Record<string, SizeStats | null>> {
  const sizes: Record<string, number[]> = Object.fromEntries(blobs.map((b) => [b, []]));
  if (blobs.length > 0) {
    // Small pages: each row carries whole blobs.
    const query = `SELECT ${blobs.map(quoteIdentifier).join(', ')} FROM ${from} LIMIT ${sample}`;
    for await (const page of scanPages(client, query, [], 50)) {
      for (const row of page) {
        for (const b of blobs) {
          const value = row.get(b) as Buffer | null;
          if (value !== null) sizes[b]?.push(value.length);
        }
      }
    }
  }
  return Object.fromEntries(blobs.map((b) => [b, sizeStats(sizes[b] ?? [])]));
}

async function sampleRow(
  client: cassandra.Client,
  from: string,
): Promise<Record<string, string> | null> {
  const row = (await client.execute(`SELECT * FROM ${from} LIMIT 1`)).first();
  if (row === null) return null;
  return Object.fromEntries(row.keys().map((k) => [k, describeValue(row.get(k))]));
}
