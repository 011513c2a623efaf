// The public face of @cassdl/datasets: everything that writes, splits, lists
// or describes a dataset in Cassandra, as typed functions (validated options
// in, typed summary out). `cassdl` is a thin command layer over them.

export { scanPages } from './connection/paged-scan.js';
export { withClient } from './connection/with-client.js';
export {
  type ImportSplitOptions,
  importSplitPickle,
  splitFileFromPickle,
} from './dali/split-pickle.js';
export {
  type ImportUuidsOptions,
  type ImportUuidsSummary,
  importUuidPickle,
  uuidsFromPickle,
} from './dali/uuid-pickle.js';
export { CassdlIngestError } from './ingest/errors.js';
export { CASSDL_INGEST_NAMESPACE, sampleId, uuidV5 } from './ingest/ids.js';
export {
  ingestClassification,
  ingestMultilabel,
  ingestSegmentation,
  vocabularyPath,
} from './ingest/ingest.js';
export { encodeNpyVector, type NpyDtype } from './ingest/npy.js';
export {
  type ClassificationIngestOptions,
  DEFAULT_INGEST_COLUMNS,
  type IngestColumns,
  type IngestCommonOptions,
  type IngestProgress,
  type MultilabelIngestOptions,
  type SegmentationIngestOptions,
} from './ingest/options.js';
export type { IngestKind, IngestSummary } from './ingest/run-ingest.js';
export {
  type InspectOptions,
  inspectTable,
  type RowCount,
  type TableReport,
} from './inspect/inspect-table.js';
export type { SizeStats } from './inspect/stats.js';
export { CassdlPickleError } from './pickle/errors.js';
export { readPickle } from './pickle/read-pickle.js';
export type { PickleValue } from './pickle/values.js';
export { allocate, assignSplits, type LabelledId } from './split/assign.js';
export { type CreateSplitOptions, createSplit } from './split/create-split.js';
export { CassdlSplitError } from './split/errors.js';
export { parseRatios } from './split/ratios.js';
export { type SplitCountRow, splitCounts } from './split/split-counts.js';
export type { ColumnInfo } from './tables/columns.js';
export { CassdlTableError } from './tables/errors.js';
export {
  type ExportUuidsOptions,
  type ExportUuidsSummary,
  exportUuids,
  type UuidFileFormat,
} from './uuids/export-uuids.js';
export { readUuidFile } from './uuids/read-uuid-file.js';
export {
  DatasetWriter,
  type DatasetWriterOptions,
  type SampleCheck,
  type SampleTransform,
  type WriteOptions,
} from './writer/dataset-writer.js';
export {
  type ImageOutputFormat,
  type ImageTransformOptions,
  imageTransform,
  maskTransform,
} from './writer/image-transform.js';
export type { SkippedFile, WriteProgress, WriteResult, WriterSample } from './writer/sample.js';
