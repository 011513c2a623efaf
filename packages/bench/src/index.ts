// The public face of @cassdl/bench: the one measuring loop that `cassdl bench`
// and the repo's benchmark programs (`bench/`) share.

export { type ChildResult, type ChildRun, runInChild } from './child-run.js';
export {
  BENCH_TABLE,
  type BenchDatasetOptions,
  benchRowReadCql,
  ensureBenchDataset,
} from './dataset.js';
export { type FloorSettings, floorFrameBytes, runFloor } from './floor.js';
export { measure, type RunCost } from './measure.js';
export { finalRate, type RampPoint, timeToShareOfFinal } from './ramp.js';
export {
  type BenchReport,
  type BenchRun,
  machineInfo,
  median,
  NO_READER_FIGURES,
  type Ratio,
  type ReaderFigures,
  ratios,
  withVsZero,
} from './report.js';
export {
  BENCH_ENGINES,
  type BenchEngine,
  type BenchOptions,
  type BenchProgress,
  type BenchResults,
  type BenchRunResult,
  runBench,
} from './run-bench.js';
export {
  benchRun,
  openBenchReader,
  plainConcurrency,
  type ReadTally,
  type RunSettings,
  readBatches,
  readerFigures,
  runPlain,
  runReader,
} from './runs.js';
export {
  type ProcessResources,
  processResources,
  runSoak,
  type SoakFigures,
  type SoakSettings,
  type SoakTick,
} from './soak.js';
export { CassdlBenchError, ensureToxiproxy, LatencyProxy, TOXIPROXY_VERSION } from './toxiproxy.js';
