import { z } from 'zod';
import { dataTableSchema, keyspaceSchema, metadataTableSchema } from './table.js';
import { integer } from './validation/numbers.js';
import { addIssue } from './validation/refine.js';
import { whenValid } from './validation/when-valid.js';

/** The manifest format version this package reads and writes. */
export const INGEST_MANIFEST_VERSION = 1;

/** The label each dataset kind stores: a class index, a mask image, or a multi-hot `.npy` tensor. */
export const INGEST_LABEL_TYPES = {
  classification: 'int',
  segmentation: 'blob',
  multilabel: 'blob',
} as const;

/**
 * What `cassdl ingest` records about a run: where the samples came from,
 * where they went, and enough to read them back (class names for integer
 * labels). Written next to the dataset so a later split or training run
 * can check it reads what it expects.
 */
export const ingestManifestSchema = z
  .strictObject({
    version: z.literal(INGEST_MANIFEST_VERSION),
    /** Dataset layout the source was read as. */
    kind: z.enum(['classification', 'segmentation', 'multilabel']),
    /** The folder or file the samples were read from, as given. */
    source: z.string().min(1),
    keyspace: keyspaceSchema,
    dataTable: dataTableSchema,
    metadataTable: metadataTableSchema,
    /** Rows written to the data table. */
    rowCount: integer(0),
    /** Class names by integer label (classification), e.g. `['cat', 'dog']`. */
    classNames: z.array(z.string().min(1)).optional(),
    /** Tool and version that ingested, e.g. `cassdl 0.1.0`. */
    tool: z.string().min(1),
    /** Start and end of the run, ISO 8601. */
    startedAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }),
  })
  .superRefine(
    (m, ctx) => {
      const labelType = INGEST_LABEL_TYPES[m.kind];
      for (const key of ['dataTable', 'metadataTable'] as const) {
        if (m[key].keyspace !== m.keyspace.name) {
          addIssue(
            ctx,
            [key, 'keyspace'],
            `"${m.keyspace.name}" (the manifest's keyspace)`,
            m[key].keyspace,
          );
        }
      }
      if (m.dataTable.labelType !== labelType) {
        addIssue(
          ctx,
          ['dataTable', 'labelType'],
          `"${labelType}" for ${m.kind}`,
          m.dataTable.labelType,
        );
      }
      if (m.classNames !== undefined && m.kind !== 'classification') {
        addIssue(
          ctx,
          ['classNames'],
          'no classNames unless kind is "classification"',
          m.classNames,
        );
      }
    },
    whenValid(['kind', 'keyspace', 'dataTable', 'metadataTable', 'classNames']),
  );

export type IngestManifest = z.output<typeof ingestManifestSchema>;
export type IngestManifestInput = z.input<typeof ingestManifestSchema>;
