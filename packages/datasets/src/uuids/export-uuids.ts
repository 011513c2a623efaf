import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import {
  type ConnectionOptionsInput,
  quoteIdentifier,
  schemaNameSchema,
  validate,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { z } from 'zod';
import { scanPages } from '../connection/paged-scan.js';
import { withClient } from '../connection/with-client.js';
import { tableColumns } from '../tables/columns.js';
import { CassdlTableError } from '../tables/errors.js';
import { aliasHint, type MetadataRole } from '../tables/plugin-names.js';

export type UuidFileFormat = 'text' | 'json';

export interface ExportUuidsOptions {
  readonly connection: ConnectionOptionsInput;
  readonly keyspace: string;
  /** Table to list. Default `data`, or `metadata` when a filter is given. */
  readonly table?: string;
  /** Id column. Default `id`. */
  readonly idCol?: string;
  /** Only rows whose `label` is this class index (a metadata-table filter). */
  readonly label?: number;
  /** Only rows whose original split is this (a metadata-table filter). */
  readonly originalSplit?: string;
  /** Column `label` filters on. Default `label`. */
  readonly labelCol?: string;
  /** Column `originalSplit` filters on. Default `original_split` (cassandra-dali-plugin: `or_split`). */
  readonly originalSplitCol?: string;
  /** The file to write. */
  readonly output: string;
  /** `text` (one id per line, the default) or `json` (an array). */
  readonly format?: UuidFileFormat;
  /** Rows per page. Default 5,000. */
  readonly fetchSize?: number;
  readonly onProgress?: (event: { scanned: number; exported: number }) => void;
}

export interface ExportUuidsSummary {
  readonly table: string;
  readonly scanned: number;
  readonly exported: number;
  readonly output: string;
  readonly format: UuidFileFormat;
}

const exportUuidsSchema = z.strictObject({
  connection: z.custom<ConnectionOptionsInput>((v) => typeof v === 'object' && v !== null),
  keyspace: schemaNameSchema,
  table: schemaNameSchema.optional(),
  idCol: z.string().min(1).default('id'),
  label: z.int().optional(),
  originalSplit: z.string().optional(),
  labelCol: z.string().min(1).default('label'),
  originalSplitCol: z.string().min(1).default('original_split'),
  output: z.string().min(1),
  format: z.enum(['text', 'json']).default('text'),
  fetchSize: z.int().min(1).max(100_000).default(5_000),
  onProgress: z.custom<ExportUuidsOptions['onProgress']>((v) => typeof v === 'function').optional(),
});

/**
 * Writes the ids of a table to a file, scanning it page by page (any size,
 * bounded memory: ids stream to the file). Filters are applied here while
 * scanning the metadata table rather than in CQL: a filter on a non-key
 * column needs `ALLOW FILTERING`, which scans the whole table on the server
 * anyway, and taking arbitrary WHERE text from a command line invites
 * surprises. The file is what `readUuidFile` (and the reader's
 * `sourceUuids`) takes.
 */
export async function exportUuids(input: ExportUuidsOptions): Promise<ExportUuidsSummary> {
  const o = validate(exportUuidsSchema, input, 'uuids', 'uuids export options');
  const filtered = o.label !== undefined || o.originalSplit !== undefined;
  const table = o.table ?? (filtered ? 'metadata' : 'data');
  return withClient(o.connection, async (client) => {
    const filters = await filterColumns(client, o.keyspace, table, o);
    const columns = [o.idCol, ...filters.map((f) => f.column)].map(quoteIdentifier).join(', ');
    const query = `SELECT ${columns} FROM ${quoteIdentifier(o.keyspace)}.${quoteIdentifier(table)}`;
    const out = createWriteStream(o.output);
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    let scanned = 0;
    let exported = 0;
    try {
      if (o.format === 'json') await write('[');
      for await (const page of scanPages(client, query, [], o.fetchSize)) {
        const lines: string[] = [];
        for (const row of page) {
          if (filters.every((f) => matches(row.get(f.column), f.value))) {
            const id = String(row.get(o.idCol));
            lines.push(
              o.format === 'json'
                ? `${exported === 0 && lines.length === 0 ? '' : ','}\n  "${id}"`
                : `${id}\n`,
            );
          }
        }
        scanned += page.length;
        exported += lines.length;
        await write(lines.join(''));
        o.onProgress?.({ scanned, exported });
      }
      if (o.format === 'json') await write(exported === 0 ? ']\n' : '\n]\n');
    } finally {
      out.end();
      await once(out, 'close');
    }
    return { table, scanned, exported, output: o.output, format: o.format };
  });
}

interface Filter {
  readonly column: string;
  readonly value: string | number;
}

async function filterColumns(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  o: { label?: number; originalSplit?: string; labelCol: string; originalSplitCol: string },
): Promise<Filter[]> {
  const columns = await tableColumns(client, keyspace, table);
  const name = `${keyspace}.${table}`;
  if (columns === null)
    throw new CassdlTableError(`table ${name} does not exist (check --keyspace and --table)`, name);
  const filters: Filter[] = [];
  const need = (role: MetadataRole, column: string, value: string | number | undefined) => {
    if (value === undefined) return;
    if (!columns.some((c) => c.name === column)) {
      throw new CassdlTableError(
        `${name} has no ${column} column to filter on (filters apply to the metadata table)` +
          aliasHint(columns, role, column),
        name,
      );
    }
    filters.push({ column, value });
  };
  need('label', o.labelCol, o.label);
  need('originalSplit', o.originalSplitCol, o.originalSplit);
  return filters;
}

function matches(value: unknown, wanted: string | number): boolean {
  return typeof wanted === 'number' ? Number(value) === wanted : value === wanted;
}
