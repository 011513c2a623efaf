import {
  type ConnectionOptionsInput,
  type KeyspaceInput,
  keyspaceSchema,
  schemaNameSchema,
} from '@cassdl/schema';
import { z } from 'zod';
import type { NpyDtype } from './npy.js';

/** Progress of the write phase, sent after each sample. */
export interface IngestProgress {
  /** Samples handled so far: written + already present + invalid. */
  readonly done: number;
  readonly total: number;
  readonly written: number;
  readonly alreadyPresent: number;
  readonly invalid: number;
}

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
