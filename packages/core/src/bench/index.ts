// Reusable measuring code for reader benchmarks (`pnpm --filter @cassdl/core bench`, `cassdl bench`).
export { BENCH_TABLE, type BenchDatasetOptions, ensureBenchDataset } from './dataset.js';
export { type FloorSettings, floorFrameBytes, runFloor } from './floor.js';
export { measure, type RunCost } from './measure.js';
export {
  type BenchReport,
  type BenchRun,
  machineInfo,
  median,
  type Ratio,
  ratios,
} from './report.js';
export {
  openBenchReader,
  plainConcurrency,
  type RunSettings,
  runPlain,
  runReader,
} from './runs.js';
