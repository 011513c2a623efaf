export type { RawBatch, RawLabels } from './raw-batch.js';
export type { DataPlanePlan, PlanColumn, PlanHost, PlanTls, PlanTokenRange } from './data-plane-plan.js';
export type { LabelType } from './table.js';
