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
import { withClient } from '../connection/with-client.js';
import { TOOL } from '../tool.js';
import { CassdlIngestError } from './errors.js';
import type { ScanResult, SkippedFile } from './item.js';
import { writeManifest } from './manifest-table.js';
import type { IngestCommon } from './options.js';
import { ensureTables } from './tables.js';
import { writeItems } from './writer.js';

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
  return withClient(options.connection, async (client) => {
    await ensureTables(client, keyspace, data, metadata);
    const result = await writeItems(client, scan.items, {
      data,
      metadata,
      concurrency: options.concurrency,
      strict: options.strict,
      overwrite: options.overwrite,
      onProgress: options.onProgress,
      signal: options.signal,
    });
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
  });
}

/** Keyspace and tables for a kind: int labels in both tables for classification, a blob label in the data table otherwise. */
function layout(kind: IngestKind, o: IngestCommon) {
  const keyspace = validate(
    keyspaceSchema,
    { name: o.keyspace, replication: o.replication },
    'ingest.keyspace',
  );
  const labelType = INGEST_LABEL_TYPES[kind];
  const data: DataTable = validate(
    dataTableSchema,
    { keyspace: o.keyspace, table: o.dataTable, labelType },
    'ingest.dataTable',
  );
  const metadata: MetadataTable = validate(
    metadataTableSchema,
    {
      keyspace: o.keyspace,
      table: o.metadataTable,
      labelType: labelType === 'int' ? 'int' : 'none',
    },
    'ingest.metadataTable',
  );
  return { keyspace, data, metadata };
}
