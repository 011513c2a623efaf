import { readFile } from 'node:fs/promises';
import { connectCassandra } from '@cassdl/core';
import {
  type ConnectionOptionsInput,
  type DataTable,
  type DataTableInput,
  dataTableSchema,
  type KeyspaceInput,
  keyspaceSchema,
  type MetadataTable,
  type MetadataTableInput,
  metadataTableSchema,
  quoteIdentifier,
  validate,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { z } from 'zod';
import { CassdlIngestError } from '../ingest/errors.js';
import { sampleId } from '../ingest/ids.js';
import { forEachBounded } from './bounded.js';
import type { SkippedFile, WriteProgress, WriteResult, WriterSample } from './sample.js';
import { ensureTables } from './tables.js';

/** Rewrites a sample's bytes before they are stored: resize, re-encode, crop. */
export type SampleTransform = (bytes: Uint8Array, path: string) => Uint8Array | Promise<Uint8Array>;

/** Why `bytes` cannot be stored, or null when they can. */
export type SampleCheck = (
  bytes: Uint8Array,
  path: string,
) => string | null | Promise<string | null>;

export interface DatasetWriterOptions {
  readonly connection: ConnectionOptionsInput;
  /** The data table: keyspace, table, column names (`idCol`, `dataCol`, `labelCol`) and `labelType`. */
  readonly data: DataTableInput;
  /** The metadata table, with its extra columns (`extraColumns: { or_split: 'text', ... }`); omit for none. */
  readonly metadata?: MetadataTableInput;
  /** Replication of a keyspace created here. Default SimpleStrategy, factor 1. */
  readonly replication?: KeyspaceInput['replication'];
  /** Create the keyspace and tables when missing, then check their columns. Default true. */
  readonly createTables?: boolean;
  /** Applied to each sample's bytes (after `check`), e.g. `imageTransform({ resize: 256, format: 'jpeg' })`. */
  readonly transform?: SampleTransform;
  /** Applied to a label given as bytes or a file (a mask). */
  readonly labelTransform?: SampleTransform;
  /** Checks each sample's source bytes (and a mask's); a problem skips the sample, or stops with `strict`. */
  readonly check?: SampleCheck;
  /** Samples read, transformed and written at once. Default 64. */
  readonly concurrency?: number;
  /** Stop at the first sample `check` rejects instead of skipping and reporting it. Default false. */
  readonly strict?: boolean;
  /** Rewrite samples whose id is already in the data table. Default false: skip them unread. */
  readonly overwrite?: boolean;
}

export interface WriteOptions {
  readonly onProgress?: (event: WriteProgress) => void;
  /** Aborting stops after the samples in flight; writing the same samples again resumes. */
  readonly signal?: AbortSignal;
}

const settingsSchema = z.object({
  concurrency: z.int().min(1).max(1024).default(64),
  strict: z.boolean().default(false),
  overwrite: z.boolean().default(false),
  createTables: z.boolean().default(true),
});

/** Ids checked for presence per query (`WHERE id IN ?`). */
const PRESENCE_BATCH = 64;
/** Samples planned at a time: one presence check per slice, then bounded writes. */
const SLICE = 1024;

/**
 * Writes samples into a data table (id, label, bytes) and a metadata table
 * (id, label, any extra columns), with the column names you choose, the way
 * cassandra-dali-plugin's writers do, and with what they lack:
 *
 * - **Idempotent ids**: UUIDv5 of each sample's name unless given, so the
 *   same sample is always the same row.
 * - **Resumable**: ids already in the data table are skipped without reading
 *   their file; the metadata row is written before the data row, so a present
 *   data row means a complete sample.
 * - **Batched**: presence is asked 64 ids at a time, and `concurrency`
 *   samples are read, transformed and written at once, with prepared statements.
 * - **Transform hook**: `transform(bytes, path)` re-encodes or resizes (see
 *   `imageTransform`, built on sharp).
 */
export class DatasetWriter {
  private readonly statements: { data: string; metadata: string | null };

  private constructor(
    /** The connected driver client (the writer's own; `close()` shuts it down). */
    readonly client: cassandra.Client,
    readonly data: DataTable,
    readonly metadata: MetadataTable | null,
    private readonly o: DatasetWriterOptions & z.output<typeof settingsSchema>,
  ) {
    this.statements = insertStatements(data, metadata);
  }

  /** Validates the options, connects, and creates or checks the tables. */
  static async open(options: DatasetWriterOptions): Promise<DatasetWriter> {
    const settings = validate(settingsSchema, options, 'writer', 'writer options');
    const data = validate(dataTableSchema, options.data, 'writer.data', 'data table');
    const metadata =
      options.metadata === undefined
        ? null
        : validate(metadataTableSchema, options.metadata, 'writer.metadata', 'metadata table');
    const client = await connectCassandra(options.connection);
    try {
      if (settings.createTables) {
        const keyspace = validate(
          keyspaceSchema,
          { name: data.keyspace, replication: options.replication },
          'writer.replication',
        );
        await ensureTables(client, keyspace, data, metadata);
      }
      return new DatasetWriter(client, data, metadata, { ...options, ...settings });
    } catch (error) {
      await client.shutdown();
      throw error;
    }
  }

  /** The id `sample` is stored under. */
  idOf(sample: WriterSample): string {
    return sample.id ?? sampleId(sample.name);
  }

  /** Writes `samples`; see the class comment for ids, resume and batching. */
  async write(samples: readonly WriterSample[], w: WriteOptions = {}): Promise<WriteResult> {
    const invalid: SkippedFile[] = [];
    let written = 0;
    let alreadyPresent = 0;
    const report = () =>
      w.onProgress?.({
        done: written + alreadyPresent + invalid.length,
        total: samples.length,
        written,
        alreadyPresent,
        invalid: invalid.length,
      });
    for (let start = 0; start < samples.length; start += SLICE) {
      w.signal?.throwIfAborted();
      const slice = samples
        .slice(start, start + SLICE)
        .map((sample) => ({ sample, id: this.idOf(sample) }));
      const present = this.o.overwrite
        ? new Set<string>()
        : await this.presentIds(slice.map((e) => e.id));
      const todo = slice.filter((e) => !present.has(e.id));
      alreadyPresent += slice.length - todo.length;
      report();
      await forEachBounded(
        todo,
        this.o.concurrency,
        async ({ sample, id }) => {
          const problem = await this.writeOne(sample, id);
          if (problem === null) written++;
          else if (this.o.strict)
            throw new CassdlIngestError(
              `${sample.name}: ${problem} (--strict stops at the first bad file)`,
              sample.file ?? sample.name,
            );
          else invalid.push({ path: sample.name, reason: problem });
          report();
        },
        w.signal,
      );
    }
    return { written, alreadyPresent, invalid };
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }

  /** Writes one sample; returns why it is unusable, or null when written. */
  private async writeOne(sample: WriterSample, id: string): Promise<string | null> {
    const source = await bytesOf(sample.bytes, sample.file);
    if (typeof source === 'string') return source;
    const problem = (await this.o.check?.(source, sample.name)) ?? null;
    if (problem !== null) return problem;
    const bytes =
      this.o.transform === undefined ? source : await this.o.transform(source, sample.name);
    const label = await this.labelOf(sample);
    if (typeof label === 'string') return label;
    if (this.metadata !== null && this.statements.metadata !== null) {
      const values = Object.keys(this.metadata.extraColumns).map(
        (c) => sample.metadata?.[c] ?? null,
      );
      const labelValue = this.metadata.labelType === 'none' ? [] : [label.value];
      await this.client.execute(this.statements.metadata, [id, ...labelValue, ...values], {
        prepare: true,
      });
    }
    const dataParams =
      this.data.labelType === 'none'
        ? [id, Buffer.from(bytes)]
        : [id, label.value, Buffer.from(bytes)];
    await this.client.execute(this.statements.data, dataParams, { prepare: true });
    return null;
  }

  /** The label value to store, or why it cannot be read. */
  private async labelOf(sample: WriterSample): Promise<{ value: unknown } | string> {
    const label = sample.label;
    if (label === undefined || label === null) return { value: null };
    if (typeof label === 'number') return { value: label };
    const bytes = label instanceof Uint8Array ? label : await bytesOf(undefined, label.file);
    if (typeof bytes === 'string') return `its label: ${bytes}`;
    if (!(label instanceof Uint8Array)) {
      const problem = (await this.o.check?.(bytes, label.file)) ?? null;
      if (problem !== null) return `its label ${label.file}: ${problem}`;
    }
    const out =
      this.o.labelTransform === undefined ? bytes : await this.o.labelTransform(bytes, sample.name);
    return { value: Buffer.from(out) };
  }

  /** Which of `ids` already have a data row, asked `PRESENCE_BATCH` at a time. */
  private async presentIds(ids: readonly string[]): Promise<Set<string>> {
    const d = this.data;
    const query =
      `SELECT ${quoteIdentifier(d.idCol)} FROM ${quoteIdentifier(d.keyspace)}.${quoteIdentifier(d.table)} ` +
      `WHERE ${quoteIdentifier(d.idCol)} IN ?`;
    const present = new Set<string>();
    const groups: string[][] = [];
    for (let i = 0; i < ids.length; i += PRESENCE_BATCH)
      groups.push(ids.slice(i, i + PRESENCE_BATCH));
    await forEachBounded(groups, 4, async (group) => {
      const rs = await this.client.execute(query, [group], { prepare: true });
      for (const row of rs.rows) present.add(String(row.get(d.idCol)));
    });
    return present;
  }
}

async function bytesOf(
  bytes: Uint8Array | undefined,
  file: string | undefined,
): Promise<Uint8Array | string> {
  if (bytes !== undefined) return bytes;
  if (file === undefined) return 'neither bytes nor a file';
  try {
    return await readFile(file);
  } catch (error) {
    return `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

function insertStatements(data: DataTable, meta: MetadataTable | null) {
  const insert = (t: { keyspace: string; table: string }, columns: string[]) =>
    `INSERT INTO ${quoteIdentifier(t.keyspace)}.${quoteIdentifier(t.table)} ` +
    `(${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  const dataColumns =
    data.labelType === 'none'
      ? [data.idCol, data.dataCol]
      : [data.idCol, data.labelCol, data.dataCol];
  const metaColumns =
    meta === null
      ? null
      : [
          meta.idCol,
          ...(meta.labelType === 'none' ? [] : [meta.labelCol]),
          ...Object.keys(meta.extraColumns),
        ];
  return {
    data: insert(data, dataColumns),
    metadata: meta === null || metaColumns === null ? null : insert(meta, metaColumns),
  };
}
