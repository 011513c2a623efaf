// The public face of @cassdl/cli as a library: every command is a function
// first (typed options in, typed summary out), and `cassdl` is a thin layer over it.

export { registerBenchCommand } from './commands/bench.js';
export { registerIngestCommand } from './commands/ingest.js';
export { registerInspectCommand } from './commands/inspect.js';
export { registerSplitCommand } from './commands/split.js';
export { registerUuidsCommand } from './commands/uuids.js';
export { CassdlIngestError } from './ingest/errors.js';
export { CASSDL_INGEST_NAMESPACE, sampleId, uuidV5 } from './ingest/ids.js';
export {
  ingestClassification,
  ingestMultilabel,
  ingestSegmentation,
  vocabularyPath,
} from './ingest/ingest.js';
export type { SkippedFile } from './ingest/item.js';
export { encodeNpyVector, type NpyDtype } from './ingest/npy.js';
export type {
  ClassificationIngestOptions,
  IngestCommonOptions,
  IngestProgress,
  MultilabelIngestOptions,
  SegmentationIngestOptions,
} from './ingest/options.js';
export type { IngestKind, IngestSummary } from './ingest/run-ingest.js';
export type { ColumnInfo } from './inspect/columns.js';
export { CassdlTableError } from './inspect/errors.js';
export {
  type InspectOptions,
  inspectTable,
  type RowCount,
  type TableReport,
} from './inspect/inspect-table.js';
export type { SizeStats } from './inspect/stats.js';
export { allocate, assignSplits, type LabelledId } from './split/assign.js';
export { type CreateSplitOptions, createSplit } from './split/create-split.js';
export { CassdlSplitError } from './split/errors.js';
export { parseRatios } from './split/ratios.js';
export { readSplitFile, type SplitCountRow, splitCounts } from './split/show-split.js';
export type { CliIo } from './ui/io.js';
export {
  type ExportUuidsOptions,
  type ExportUuidsSummary,
  exportUuids,
  type UuidFileFormat,
} from './uuids/export-uuids.js';
export { readUuidFile } from './uuids/read-uuid-file.js';
