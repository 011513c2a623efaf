// The public face of @cassdl/core: the reader, its options, its errors and
// the types they use. Two subpaths carry the rest: `@cassdl/core/tf` (the
// tf.data adapter, so that importing the reader never loads TensorFlow.js)
// and `@cassdl/core/plan` (the pure planning pieces: permutation, shards,
// cursors, the seeded PRNG, fingerprints). The engines, the control plane
// and the pipeline controller are internal: the reader composes them.

// The reader's inputs and outputs are defined once in @cassdl/schema; re-exported
// so that a reader user needs one import.
export type {
  LentBatch,
  RawBatch,
  ReaderOptions,
  ReaderOptionsInput,
} from '@cassdl/schema';
export {
  type DaliReaderOptions,
  type FromDaliOptionsResult,
  type FromDaliOptionsSettings,
  fromDaliOptions,
} from './compat/from-dali-options.js';
export { connectCassandra, resolveLocalDataCenter } from './control-plane/connect-cassandra.js';
export type { PipelineReason } from './controller/index.js';
export type { EngineKind, EngineStats, HostLatency } from './engines/engine.js';
export { type NativeAvailability, probeNative } from './engines/native.js';
export {
  AUTO_DRIVER_CONNECTIONS,
  AUTO_NATIVE_CONNECTIONS,
  connectionsPerHost,
} from './engines/select.js';
export {
  CassdlClosedError,
  CassdlConnectionError,
  CassdlEngineUnavailableError,
  CassdlError,
  type CassdlErrorCode,
  CassdlInternalError,
  CassdlMissingRowError,
  CassdlNoReplicaError,
  CassdlSchemaMismatchError,
  CassdlServerError,
  CassdlStateError,
  type ConnectionFailure,
  type HostAttempt,
  type MissingReason,
  type SchemaMismatch,
} from './errors.js';
export type { MemoryMetrics, PipelineMetrics, ReaderMetrics } from './metrics/reader-metrics.js';
export {
  CassandraReader,
  type DescribePlanOptions,
  describeEpochPlan,
  type EpochPlanSummary,
  type IdsInput,
  mergeStates,
  type PlanOptionsInput,
  type ReaderEvents,
  type ReaderRuntimeOptions,
  type ReaderState,
} from './reader/index.js';
export { readSplitFile } from './reader/split-file.js';
