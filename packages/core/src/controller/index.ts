export { resolveMemoryBudget } from './memory-budget.js';
export {
  AUTO_MAX_INFLIGHT,
  AUTO_MAX_PREFETCH,
  INITIAL_INFLIGHT,
  type LinkSample,
  type PipelineBounds,
  PipelineController,
  type PipelineReason,
  type PipelineTarget,
  UNMEASURED_ROWS,
} from './pipeline-controller.js';
export { type HostRoundTrips, type RoundRtt, RoundTrips } from './round-trips.js';
export { WindowedFilter } from './windowed-filter.js';
