// The public face of @cassdl/schema: every export a user or sibling package may use.

export { byteSizeSchema, parseByteSize } from './byte-size.js';
export { CassdlError } from './cassdl-error.js';
export {
  applyConnectionDefaults,
  CONNECTION_DEFAULTS,
  type ConnectionOptions,
  type ConnectionOptionsInput,
  connectionFieldsSchema,
  connectionOptionsSchema,
} from './connection.js';
export { CONNECTION_ENV, connectionFromEnv } from './connection-env.js';
export { type ContactPoint, contactPointSchema, parseContactPoint } from './contact-point.js';
export type {
  DataPlanePlan,
  PlanHost,
  PlanProxy,
  PlanTls,
  PlanTokenRange,
} from './data-plane-plan.js';
export { dataPlanePlanSchema } from './data-plane-plan.js';
export {
  createDataTableCql,
  createKeyspaceCql,
  createMetadataTableCql,
  quoteIdentifier,
  quoteString,
  rowReadCql,
} from './ddl.js';
export {
  ENGINE_ERROR_CODES,
  type EngineErrorCode,
  isEngineErrorCode,
  isMissingReason,
  MISSING_REASONS,
  type MissingReason,
} from './engine/engine-errors.js';
export {
  engineFields,
  engineOptionsSchema,
  type NativeEngineOptions,
  nativeEngineOptionsSchema,
} from './engine/engine-options.js';
export type { EngineStats, HostLatency } from './engine/engine-stats.js';
export type { FetchedRows, FetchOptions } from './engine/fetched-rows.js';
export type { NativeAvailability } from './engine/native-availability.js';
export {
  RETRIABLE_SERVER_ERRORS,
  RETRY_SERVER_CODES,
  type RetryOptions,
  retryFields,
} from './engine/retry-policy.js';
export { CassdlValidationError, type ValidationIssue, validationIssue } from './errors.js';
export {
  INGEST_LABEL_TYPES,
  INGEST_MANIFEST_VERSION,
  type IngestManifest,
  type IngestManifestInput,
  ingestManifestSchema,
} from './ingest-manifest.js';
export { isPem, pemOrPathSchema } from './pem.js';
export type { LentBatch, RawBatch, RawLabels } from './raw-batch.js';
export {
  type Consistency,
  consistencySchema,
  dataTableOf,
  MIN_MEMORY_BUDGET,
  parseReaderOptions,
  type ReaderOptions,
  type ReaderOptionsInput,
  readerOptionsSchema,
  retryOptionsSchema,
  TOP_LEVEL_CONNECTION_KEYS,
} from './reader-options.js';
export {
  parseSplitFile,
  SPLIT_FILE_VERSION,
  type SplitFile,
  type SplitFileInput,
  serializeSplitFile,
  splitFileSchema,
  splitNames,
} from './split-file.js';
export {
  type SplitMismatch,
  type SplitSelection,
  splitIdsForReader,
  splitMismatches,
} from './split-selection.js';
export {
  cqlTypeSchema,
  type DataTable,
  type DataTableInput,
  DEFAULT_EXTRA_COLUMNS,
  dataTableSchema,
  identifierSchema,
  type Keyspace,
  type KeyspaceInput,
  keyspaceSchema,
  type LabelType,
  labelTypeSchema,
  type MetadataTable,
  type MetadataTableInput,
  metadataTableSchema,
  parseQualifiedTable,
  type QualifiedTable,
  qualifiedTableNameSchema,
  qualifiedTableSchema,
  type Replication,
  schemaNameSchema,
} from './table.js';
export {
  formatUuid,
  normalizeUuid,
  packUuids,
  parseUuid,
  uuidListSchema,
  uuidStringSchema,
} from './uuid.js';
export { describeReceived } from './validation/describe.js';
export { formatZodIssues } from './validation/format-issues.js';
export { validate } from './validation/validate.js';
