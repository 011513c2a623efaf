// The public face of @cassdl/core. The tf.data adapter lives at `@cassdl/core/tf`
// so that importing the reader never loads TensorFlow.js; the planning pieces
// (permutation, shards, the seeded PRNG) also at `@cassdl/core/plan`.

export {
  type DaliReaderOptions,
  type FromDaliOptionsResult,
  type FromDaliOptionsSettings,
  fromDaliOptions,
} from './compat/from-dali-options.js';
export { connectCassandra, resolveLocalDataCenter } from './control-plane/connect-cassandra.js';
export { ControlPlane } from './control-plane/control-plane.js';
export {
  AUTO_MAX_INFLIGHT,
  AUTO_MAX_PREFETCH,
  type LinkSample,
  type PipelineBounds,
  PipelineController,
  type PipelineReason,
  type PipelineTarget,
  resolveMemoryBudget,
} from './controller/index.js';
export { backoffDelayMs, type RetryOptions } from './engines/backoff.js';
export { DriverEngine, type DriverEngineOptions } from './engines/driver/driver-engine.js';
export type {
  Engine,
  EngineKind,
  EngineLimits,
  EngineStats,
  FetchedRows,
  FetchOptions,
  HostLatency,
} from './engines/engine.js';
export { type NativeAvailability, probeNative } from './engines/native.js';
export { type EngineContext, openEngine } from './engines/select.js';
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
export { LatencyHistogram } from './metrics/histogram.js';
export type { MemoryMetrics, PipelineMetrics, ReaderMetrics } from './metrics/reader-metrics.js';
export {
  EpochCursor,
  EpochPlan,
  type EpochPlanInput,
  epochPermutation,
  idsFingerprint,
  type PlannedBatch,
  shardBatchCount,
  shardRange,
} from './plan/index.js';
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
