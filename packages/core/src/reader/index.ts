export {
  type DescribePlanOptions,
  describeEpochPlan,
  type EpochPlanSummary,
  type PlanOptionsInput,
} from './describe-plan.js';
export type { IdsInput } from './interactive.js';
export { CassandraReader, type ReaderEvents, type ReaderRuntimeOptions } from './reader.js';
export { mergeStates, type ReaderState } from './state.js';
