import {
  type DataTable,
  dataTableSchema,
  INGEST_LABEL_TYPES,
  INGEST_MANIFEST_VERSION,
  type IngestManifest,
  ingestManifestSchema,
  keyspaceSchema,
  type MetadataTable,
  metadataTableSchema,
  validate,
} from '@cassdl/schema';
import { TOOL } from '../tool.js';
import { DatasetWriter } from '../writer/dataset-writer.js';
import { imageTransform, maskTransform } from '../writer/image-transform.js';
import type { WriterSample } from '../writer/sample.js';
import { CassdlIngestError } from './errors.js';
import { imageProblem } from './image-check.js';
import type { IngestItem, ScanResult, SkippedFile } from './item.js';
import { createManifestTableCql, writeManifest } from './manifest-table.js';
import type { IngestCommon } from './options.js';

export type IngestKind = IngestManifest['kind'];

/** What an ingest did. */
export interface IngestSummary {
  readonly kind: IngestKind;
  readonly keyspace: string;
  readonly dataTable: string;
  readonly metadataTable: string;
  /** Samples found in the source (before any was found unusable). */
  readonly samples: number;
  /** Rows written by this run. */
  readonly written: number;
  /** Samples whose id was already in the data table (an earlier run): not rewritten. */
  readonly alreadyPresent: number;
  /** Files left out, each with its reason: non-images, unpaired, unreadable. */
  readonly skipped: SkippedFile[];
  /** Rows the data table holds from this source: written + already present. */
  readonly rowCount: number;
  readonly classNames?: string[];
  readonly vocabulary?: string[];
  /** Where the vocabulary JSON was written (multilabel). */
  readonly vocabularyFile?: string;
  /** Also stored in `<keyspace>.cassdl_manifest`, keyed by data table. */
  readonly manifest: IngestManifest;
  readonly wallSec: number;
}

/** The shared path of every kind: tables, writes, manifest. */
export async function runIngest(
  kind: IngestKind,
  source: string,
  options: IngestCommon,
  scan: ScanResult,
  extra: { vocabularyFile?: string } = {},
): Promise<IngestSummary> {
  const startedAt = new Date();
  const first = scan.skipped[0];
  if (options.strict && first !== undefined) {
    throw new CassdlIngestError(
      `${first.path}: ${first.reason} (--strict stops at the first bad file)`,
      first.path,
    );
  }
  const { keyspace, data, metadata } = layout(kind, options);
  const image = options.image ?? {};
  const writer = await DatasetWriter.open({
    connection: options.connection,
    data,
    metadata,
    replication: keyspace.replication,
    check: imageProblem,
    transform: imageTransform(image) ?? undefined,
    labelTransform: kind === 'segmentation' ? (maskTransform(image) ?? undefined) : undefined,
    concurrency: options.concurrency,
    strict: options.strict,
    overwrite: options.overwrite,
  });
  try {
    const { client } = writer;
    await client.execute(createManifestTableCql(keyspace.name));
    const result = await writer.write(
      scan.items.map((item) => toSample(item, options.columns)),
      { onProgress: options.onProgress, signal: options.signal },
    );
    const rowCount = result.written + result.alreadyPresent;
    const manifest = validate(
      ingestManifestSchema,
      {
        version: INGEST_MANIFEST_VERSION,
        kind,
        source,
        keyspace,
        dataTable: data,
        metadataTable: metadata,
        rowCount,
        ...(scan.classNames !== undefined ? { classNames: scan.classNames } : {}),
        tool: TOOL,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
      },
      'manifest',
      'ingest manifest',
    );
    await writeManifest(client, manifest, scan.vocabulary);
    return {
      kind,
      keyspace: keyspace.name,
      dataTable: data.table,
      metadataTable: metadata.table,
      samples: scan.items.length,
      written: result.written,
      alreadyPresent: result.alreadyPresent,
      skipped: [...scan.skipped, ...result.invalid],
      rowCount,
      ...(scan.classNames !== undefined ? { classNames: scan.classNames } : {}),
      ...(scan.vocabulary !== undefined ? { vocabulary: scan.vocabulary } : {}),
      ...extra,
      manifest,
      wallSec: (Date.now() - startedAt.getTime()) / 1000,
    };
  } finally {
    await writer.close();
  }
}

/** A scanned file as a writer sample: id from its relative path, metadata under the chosen names. */
function toSample(item: IngestItem, c: IngestCommon['columns']): WriterSample {
  const label =
    item.label.kind === 'int'
      ? item.label.value
      : item.label.kind === 'bytes'
        ? item.label.bytes
        : { file: item.label.path };
  return {
    name: item.relativePath,
    file: item.absolutePath,
    label,
    metadata: {
      [c.filename]: item.relativePath,
      [c.originalLabel]: item.originalLabel,
      [c.originalSplit]: item.originalSplit,
    },
  };
}

/** Keyspace and tables for a kind: int labels in both tables for classification, a blob label in the data table otherwise. */
function layout(kind: IngestKind, o: IngestCommon) {
  const keyspace = validate(
    keyspaceSchema,
    { name: o.keyspace, replication: o.replication },
    'ingest.keyspace',
  );
  const labelType = INGEST_LABEL_TYPES[kind];
  const c = o.columns;
  const data: DataTable = validate(
    dataTableSchema,
    {
      keyspace: o.keyspace,
      table: o.dataTable,
      labelType,
      idCol: c.id,
      dataCol: c.data,
      labelCol: c.label,
    },
    'ingest.dataTable',
  );
  const metadata: MetadataTable = validate(
    metadataTableSchema,
    {
      keyspace: o.keyspace,
      table: o.metadataTable,
      labelType: labelType === 'int' ? 'int' : 'none',
      idCol: c.id,
      labelCol: c.label,
      extraColumns: { [c.filename]: 'text', [c.originalLabel]: 'text', [c.originalSplit]: 'text' },
    },
    'ingest.metadataTable',
  );
  return { keyspace, data, metadata };
}
