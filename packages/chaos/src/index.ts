// @cassdl/chaos: fault scenarios against a real local cluster, an exactly-once
// ledger and the chaos report. Private: a test and a `pnpm chaos` tool.

export {
  type ChaosDataset,
  countWrongRows,
  type WriteDatasetOptions,
  writeDataset,
} from './dataset.js';
export {
  captureLaunchSpec,
  coordinatorReads,
  FaultInjector,
  hasExited,
  type LaunchSpec,
  type NodeCondition,
  type NodeEndpoint,
  pinnedClient,
  relaunchNode,
  settledCoordinatorReads,
  waitForExit,
  waitForNodeCql,
  waitForPort,
} from './faults/index.js';
export { ExactlyOnceLedger, type LedgerSummary } from './ledger.js';
export { keysOwnedBy } from './owners.js';
export {
  describeError,
  type EpochOutcome,
  EpochSession,
  type EpochsOutcome,
  type ReadEpochOptions,
  type ReadEpochsOptions,
  readEpoch,
  readEpochs,
} from './read-epoch.js';
export { type ChaosReport, formatDetails, formatTable, writeReport } from './report.js';
export {
  DEFAULT_CHAOS_ADDRESS,
  defaultScenarios,
  nativeNote,
  type RunChaosOptions,
  runChaos,
} from './run-chaos.js';
export {
  type ChaosEngine,
  type ClusterRestartOptions,
  clusterRestartScenario,
  type NodeKilledOptions,
  type NodePausedOptions,
  type NoReplicaOptions,
  nodeKilledScenario,
  nodePausedScenario,
  noReplicaScenario,
  type Outcome,
  type Scenario,
  type ScenarioContext,
  type ScenarioResult,
} from './scenarios/index.js';
