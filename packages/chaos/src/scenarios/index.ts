export { type ClusterRestartOptions, clusterRestartScenario } from './cluster-restart.js';
export { type NoReplicaOptions, noReplicaScenario } from './no-replica.js';
export { type NodeKilledOptions, nodeKilledScenario } from './node-killed.js';
export { type NodePausedOptions, nodePausedScenario } from './node-paused.js';
export type { ChaosEngine, Outcome, Scenario, ScenarioContext, ScenarioResult } from './types.js';
