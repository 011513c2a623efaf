import {
  type ConnectionOptionsInput,
  identifierSchema,
  type KeyspaceInput,
  keyspaceSchema,
  schemaNameSchema,
} from '@cassdl/schema';
import { z } from 'zod';
import { type ImageTransformOptions, imageTransformSchema } from '../writer/image-transform.js';
import type { WriteProgress } from '../writer/sample.js';
import type { NpyDtype } from './npy.js';

/** Progress of the write phase, sent after each sample. */
export type IngestProgress = WriteProgress;

/**
 * Column names ingest writes. Defaults are cassdl's; cassandra-dali-plugin's
 * examples use `or_label` and `or_split` for the original label and split.
 */
export interface IngestColumns {
  /** Id column of both tables. Default `id`. */
  readonly id?: string;
  /** Bytes column of the data table. Default `data`. */
  readonly data?: string;
  /** Label column of both tables. Default `label`. */
  readonly label?: string;
  /** Metadata: the file's path relative to the source folder. Default `filename`. */
  readonly filename?: string;
  /** Metadata: class name, mask path or tags. Default `original_label`. */
  readonly originalLabel?: string;
  /** Metadata: the split folder the file came from. Default `original_split`. */
  readonly originalSplit?: string;
}

/** The default of each ingest column name, by option. */
export const DEFAULT_INGEST_COLUMNS = {
  id: 'id',
  data: 'data',
  label: 'label',
  filename: 'filename',
  originalLabel: 'original_label',
  originalSplit: 'original_split',
} as const;

/** Options every ingest kind takes. */
export interface IngestCommonOptions {
  /** Where to write; checked by `connectionOptionsSchema`. */
  readonly connection: ConnectionOptionsInput;
  /** Keyspace, created when missing. */
  readonly keyspace: string;
  /** Data table (id, label, data). Default `data`. */
  readonly dataTable?: string;
  /** Metadata table (id, [label,] filename, original_label, original_split). Default `metadata`. */
  readonly metadataTable?: string;
  /** Replication of a keyspace created here. Default SimpleStrategy, factor 1. */
  readonly replication?: KeyspaceInput['replication'];
  /** Column names; see `IngestColumns`. */
  readonly columns?: IngestColumns;
  /** Resize / re-encode images before storing them (masks get the same geometry, nearest-neighbour). */
  readonly image?: ImageTransformOptions;
  /** Samples read and written at once. Default 64. */
  readonly concurrency?: number;
  /** Stop at the first unusable file instead of skipping and reporting it. Default false. */
  readonly strict?: boolean;
  /** Rewrite rows whose id is already in the data table (changed files). Default false: skip them. */
  readonly overwrite?: boolean;
  readonly onProgress?: (event: IngestProgress) => void;
  /** Aborting stops after the samples in flight; a re-run resumes where it stopped. */
  readonly signal?: AbortSignal;
}

export interface ClassificationIngestOptions extends IngestCommonOptions {
  /** `DIR/CLASS/*.jpg` or `DIR/{train,val}/CLASS/*.jpg`. */
  readonly dir: string;
}

export interface SegmentationIngestOptions extends IngestCommonOptions {
  readonly imagesDir: string;
  readonly masksDir: string;
}

export interface MultilabelIngestOptions extends IngestCommonOptions {
  readonly dir: string;
  /** CSV of `file,tag1|tag2|...`. */
  readonly labels: string;
  /** Element type of the multi-hot `.npy` label: `u1` (default) or `f4`. */
  readonly npyDtype?: NpyDtype;
}

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', { error: 'a function' });

export const ingestCommonSchema = z.object({
  connection: z.custom<ConnectionOptionsInput>((v) => typeof v === 'object' && v !== null, {
    error: 'connection options object',
  }),
  keyspace: schemaNameSchema,
  dataTable: schemaNameSchema.default('data'),
  metadataTable: schemaNameSchema.default('metadata'),
  replication: keyspaceSchema.shape.replication,
  columns: z
    .strictObject({
      id: identifierSchema.default(DEFAULT_INGEST_COLUMNS.id),
      data: identifierSchema.default(DEFAULT_INGEST_COLUMNS.data),
      label: identifierSchema.default(DEFAULT_INGEST_COLUMNS.label),
      filename: identifierSchema.default(DEFAULT_INGEST_COLUMNS.filename),
      originalLabel: identifierSchema.default(DEFAULT_INGEST_COLUMNS.originalLabel),
      originalSplit: identifierSchema.default(DEFAULT_INGEST_COLUMNS.originalSplit),
    })
    .prefault({}),
  image: imageTransformSchema.optional(),
  concurrency: z.int().min(1).max(1024).default(64),
  strict: z.boolean().default(false),
  overwrite: z.boolean().default(false),
  onProgress: fn<(event: IngestProgress) => void>().optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

const path = z.string().min(1);

export const classificationIngestSchema = ingestCommonSchema.extend({ dir: path }).strict();
export const segmentationIngestSchema = ingestCommonSchema
  .extend({ imagesDir: path, masksDir: path })
  .strict();
export const multilabelIngestSchema = ingestCommonSchema
  .extend({ dir: path, labels: path, npyDtype: z.enum(['u1', 'f4']).default('u1') })
  .strict();

export type IngestCommon = z.output<typeof ingestCommonSchema>;
