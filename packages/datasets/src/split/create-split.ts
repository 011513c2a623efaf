import { writeFile } from 'node:fs/promises';
import {
  type ConnectionOptionsInput,
  identifierSchema,
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
import { aliasHint } from '../tables/plugin-names.js';
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
  /** Id column of the metadata table. Default `id`. */
  readonly idCol?: string;
  /** Int label column of the metadata table (for `stratify` and class counts). Default `label`. */
  readonly labelCol?: string;
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
  idCol: identifierSchema.default('id'),
  labelCol: identifierSchema.default('label'),
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
    const labelColumn = await intLabelColumn(client, o, o.stratify);
    const rows = await readIdsAndLabels(client, o, labelColumn, o.onProgress);
    const splits = assignSplits(rows, ratios, o.seed, o.stratify);
    const labelOf = new Map(rows.map((r) => [r.id, r.label]));
    const file = parseSplitFile({
      version: SPLIT_FILE_VERSION,
      keyspace: o.keyspace,
      dataTable: o.dataTable,
      metadataTable: o.metadataTable,
      idCol: manifest?.manifest.dataTable.idCol ?? o.idCol,
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
 * The metadata table's label column when it is an int (class labels), else
 * null; stratifying without one is an error that says why (and names a
 * column that looks like the label under another name).
 */
async function intLabelColumn(
  client: cassandra.Client,
  o: { keyspace: string; metadataTable: string; labelCol: string },
  stratify: boolean,
): Promise<string | null> {
  const name = `${o.keyspace}.${o.metadataTable}`;
  const columns = await tableColumns(client, o.keyspace, o.metadataTable);
  if (columns === null) {
    throw new CassdlSplitError(
      `table ${name} does not exist (ingest first, or pass --keyspace/--metadata-table)`,
      name,
    );
  }
  const label = columns.find((c) => c.name === o.labelCol);
  if (label?.type === 'int') return o.labelCol;
  if (stratify) {
    throw new CassdlSplitError(
      `--stratify needs an int label column in ${name}, ` +
        `which has ${label === undefined ? `no column ${o.labelCol}` : `${o.labelCol} ${label.type}`}` +
        `${aliasHint(columns, 'label', o.labelCol)}; or leave out --stratify`,
      name,
    );
  }
  return null;
}

async function readIdsAndLabels(
  client: cassandra.Client,
  o: { keyspace: string; metadataTable: string; idCol: string },
  labelColumn: string | null,
  onProgress?: (rowsRead: number) => void,
): Promise<LabelledId[]> {
  const select = [o.idCol, ...(labelColumn === null ? [] : [labelColumn])].map(quoteIdentifier);
  const query = `SELECT ${select.join(', ')} FROM ${quoteIdentifier(o.keyspace)}.${quoteIdentifier(o.metadataTable)}`;
  const rows: LabelledId[] = [];
  for await (const page of scanPages(client, query)) {
    for (const row of page) {
      const label = labelColumn === null ? null : (row.get(labelColumn) as number | null);
      rows.push({ id: String(row.get(o.idCol)), label });
    }
    onProgress?.(rows.length);
  }
  return rows;
}
