import { readFile } from 'node:fs/promises';
import { type DataTable, type MetadataTable, quoteIdentifier } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { forEachBounded } from './bounded.js';
import { CassdlIngestError } from './errors.js';
import { sampleId } from './ids.js';
import { imageProblem } from './image-check.js';
import type { IngestItem, SkippedFile } from './item.js';
import type { IngestProgress } from './options.js';

/** Ids checked for presence per query (`WHERE id IN ?`). */
const PRESENCE_BATCH = 64;
/** Samples planned at a time: one presence check per slice, then bounded writes. */
const SLICE = 1024;

export interface WriteSettings {
  readonly data: DataTable;
  readonly metadata: MetadataTable;
  readonly concurrency: number;
  readonly strict: boolean;
  readonly overwrite: boolean;
  readonly onProgress?: ((event: IngestProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface WriteResult {
  readonly written: number;
  readonly alreadyPresent: number;
  readonly invalid: SkippedFile[];
}

/**
 * Writes each item's metadata row, then its data row, at most `concurrency`
 * samples at once, with prepared statements. Resuming: ids already in the
 * data table are skipped without reading their file (unless `overwrite`).
 * Because the data row is written last, a present data row means both rows
 * are there; an interrupted sample has at most a metadata row, which the
 * re-run rewrites with the same values.
 */
export async function writeItems(
  client: cassandra.Client,
  items: readonly IngestItem[],
  s: WriteSettings,
): Promise<WriteResult> {
  const statements = insertStatements(s.data, s.metadata);
  const invalid: SkippedFile[] = [];
  let written = 0;
  let alreadyPresent = 0;
  const report = () =>
    s.onProgress?.({
      done: written + alreadyPresent + invalid.length,
      total: items.length,
      written,
      alreadyPresent,
      invalid: invalid.length,
    });

  for (let start = 0; start < items.length; start += SLICE) {
    s.signal?.throwIfAborted();
    const slice = items
      .slice(start, start + SLICE)
      .map((item) => ({ item, id: sampleId(item.relativePath) }));
    const present = s.overwrite
      ? new Set<string>()
      : await presentIds(
          client,
          s.data,
          slice.map((e) => e.id),
        );
    const todo = slice.filter((e) => !present.has(e.id));
    alreadyPresent += slice.length - todo.length;
    report();
    await forEachBounded(
      todo,
      s.concurrency,
      async ({ item, id }) => {
        const problem = await writeOne(client, statements, item, id, s);
        if (problem !== null) {
          if (s.strict)
            throw new CassdlIngestError(
              `${item.relativePath}: ${problem} (--strict stops at the first bad file)`,
              item.absolutePath,
            );
          invalid.push({ path: item.relativePath, reason: problem });
        } else {
          written++;
        }
        report();
      },
      s.signal,
    );
  }
  return { written, alreadyPresent, invalid };
}

interface Statements {
  readonly data: string;
  readonly metadata: string;
}

function insertStatements(data: DataTable, meta: MetadataTable): Statements {
  const insert = (t: { keyspace: string; table: string }, columns: string[]) =>
    `INSERT INTO ${quoteIdentifier(t.keyspace)}.${quoteIdentifier(t.table)} ` +
    `(${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  const dataColumns =
    data.labelType === 'none'
      ? [data.idCol, data.dataCol]
      : [data.idCol, data.labelCol, data.dataCol];
  const metaColumns = [
    meta.idCol,
    ...(meta.labelType === 'none' ? [] : [meta.labelCol]),
    'filename',
    'original_label',
    'original_split',
  ];
  return { data: insert(data, dataColumns), metadata: insert(meta, metaColumns) };
}

/** Writes one sample; returns why its file (or mask) is unusable, or null when written. */
async function writeOne(
  client: cassandra.Client,
  statements: Statements,
  item: IngestItem,
  id: string,
  s: WriteSettings,
): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(item.absolutePath);
  } catch (error) {
    return `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  const problem = await imageProblem(bytes);
  if (problem !== null) return problem;
  let label: number | Buffer | null;
  if (item.label.kind === 'int') label = item.label.value;
  else if (item.label.kind === 'bytes') label = Buffer.from(item.label.bytes);
  else {
    try {
      label = await readFile(item.label.path);
    } catch (error) {
      return `cannot read its mask ${item.label.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
    const maskProblem = await imageProblem(label);
    if (maskProblem !== null) return `its mask ${item.originalLabel ?? ''}: ${maskProblem}`;
  }
  const metaParams = [
    id,
    ...(s.metadata.labelType === 'none' ? [] : [label]),
    item.relativePath,
    item.originalLabel,
    item.originalSplit,
  ];
  await client.execute(statements.metadata, metaParams, { prepare: true });
  const dataParams = s.data.labelType === 'none' ? [id, bytes] : [id, label, bytes];
  await client.execute(statements.data, dataParams, { prepare: true });
  return null;
}

/** Which of `ids` already have a data row, asked `PRESENCE_BATCH` at a time. */
async function presentIds(
  client: cassandra.Client,
  data: DataTable,
  ids: readonly string[],
): Promise<Set<string>> {
  const query =
    `SELECT ${quoteIdentifier(data.idCol)} FROM ${quoteIdentifier(data.keyspace)}.${quoteIdentifier(data.table)} ` +
    `WHERE ${quoteIdentifier(data.idCol)} IN ?`;
  const present = new Set<string>();
  const groups: string[][] = [];
  for (let i = 0; i < ids.length; i += PRESENCE_BATCH)
    groups.push(ids.slice(i, i + PRESENCE_BATCH));
  await forEachBounded(groups, 4, async (group) => {
    const rs = await client.execute(query, [group], { prepare: true });
    for (const row of rs.rows) present.add(String(row.get(data.idCol)));
  });
  return present;
}
