import { writeFile } from 'node:fs/promises';
import {
  type ConnectionOptionsInput,
  type LabelType,
  labelTypeSchema,
  parseSplitFile,
  quoteIdentifier,
  SPLIT_FILE_VERSION,
  type SplitFile,
  schemaNameSchema,
  serializeSplitFile,
  validate,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { z } from 'zod';
import { scanPages } from '../connection/paged-scan.js';
import { withClient } from '../connection/with-client.js';
import { readManifest } from '../ingest/manifest-table.js';
import { tableColumns } from '../tables/columns.js';
import { TOOL } from '../tool.js';
import { assignSplits, classCounts, type LabelledId } from './assign.js';
import { CassdlSplitError } from './errors.js';
import { parseRatios } from './ratios.js';

export interface CreateSplitOptions {
  readonly connection: ConnectionOptionsInput;
  readonly keyspace: string;
  /** Table the reader will read (recorded in the file). Default `data`. */
  readonly dataTable?: string;
  /** Table the ids and labels are read from. Default `metadata`. */
  readonly metadataTable?: string;
  /** `train=0.7,val=0.2,test=0.1` or `{ train: 0.7, ... }`; must sum to 1. */
  readonly ratios: string | Record<string, number>;
  /** Split each class in the ratios (needs an int label column). Default false. */
  readonly stratify?: boolean;
  /** Shuffle seed (uint32). Default 0. */
  readonly seed?: number;
  /** Write the split file here. */
  readonly output?: string;
  /** The data table's label type for the file; default: from the ingest manifest, else `int`. */
  readonly labelType?: LabelType;
  /** Rows read from the metadata table so far. */
  readonly onProgress?: (rowsRead: number) => void;
}

const createSplitSchema = z.strictObject({
  connection: z.custom<ConnectionOptionsInput>((v) => typeof v === 'object' && v !== null),
  keyspace: schemaNameSchema,
  dataTable: schemaNameSchema.default('data'),
  metadataTable: schemaNameSchema.default('metadata'),
  ratios: z.union([z.string(), z.record(z.string(), z.number())]),
  stratify: z.boolean().default(false),
  seed: z.int().min(0).max(0xffffffff).default(0),
  output: z.string().min(1).optional(),
  labelType: labelTypeSchema.optional(),
  onProgress: z.custom<(n: number) => void>((v) => typeof v === 'function').optional(),
});

/**
 * Reads every id (and int label) of the metadata table, paged, and assigns
 * them to named splits: deterministic for a given table content, ratios,
 * seed and stratify flag. Returns the split file (also written to `output`).
 */
export async function createSplit(input: CreateSplitOptions): Promise<SplitFile> {
  const o = validate(createSplitSchema, input, 'split', 'split options');
  const ratios = parseRatios(o.ratios);
  return withClient(o.connection, async (client) => {
    const manifest = await readManifest(client, o.keyspace, o.dataTable);
    const labelColumn = await intLabelColumn(client, o.keyspace, o.metadataTable, o.stratify);
    const rows = await readIdsAndLabels(
      client,
      o.keyspace,
      o.metadataTable,
      labelColumn,
      o.onProgress,
    );
    const splits = assignSplits(rows, ratios, o.seed, o.stratify);
    const labelOf = new Map(rows.map((r) => [r.id, r.label]));
    const file = parseSplitFile({
      version: SPLIT_FILE_VERSION,
      keyspace: o.keyspace,
      dataTable: o.dataTable,
      metadataTable: o.metadataTable,
      labelType: o.labelType ?? manifest?.manifest.dataTable.labelType ?? 'int',
      splits,
      ...(labelColumn !== null ? { classCounts: classCounts(splits, labelOf) } : {}),
      createdWith: {
        tool: TOOL,
        seed: o.seed,
        ratios,
        stratify: o.stratify,
        createdAt: new Date().toISOString(),
      },
    });
    if (o.output !== undefined) await writeFile(o.output, serializeSplitFile(file));
    return file;
  });
}

/**
 * The metadata table's `label` column when it is an int (class labels), else
 * null; stratifying without one is an error that says why.
 */
async function intLabelColumn(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  stratify: boolean,
): Promise<string | null> {
  const columns = await tableColumns(client, keyspace, table);
  if (columns === null) {
    throw new CassdlSplitError(
      `table ${keyspace}.${table} does not exist (ingest first, or pass --keyspace/--metadata-table)`,
      `${keyspace}.${table}`,
    );
  }
  const label = columns.find((c) => c.name === 'label');
  if (label?.type === 'int') return 'label';
  if (stratify) {
    throw new CassdlSplitError(
      `--stratify needs an int label column in ${keyspace}.${table}, ` +
        `which has ${label === undefined ? 'no label column' : `label ${label.type}`}; leave out --stratify`,
      `${keyspace}.${table}`,
    );
  }
  return null;
}

async function readIdsAndLabels(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  labelColumn: string | null,
  onProgress?: (rowsRead: number) => void,
): Promise<LabelledId[]> {
  const columns = labelColumn === null ? '"id"' : `"id", ${quoteIdentifier(labelColumn)}`;
  const query = `SELECT ${columns} FROM ${quoteIdentifier(keyspace)}.${quoteIdentifier(table)}`;
  const rows: LabelledId[] = [];
  for await (const page of scanPages(client, query)) {
    for (const row of page) {
      const label = labelColumn === null ? null : (row.get(labelColumn) as number | null);
      rows.push({ id: String(row.get('id')), label });
    }
    onProgress?.(rows.length);
  }
  return rows;
}
