export { FaultInjector, type NodeCondition } from './injector.js';
export { captureLaunchSpec, type LaunchSpec, relaunchNode } from './node-process.js';
export { coordinatorReads, settledCoordinatorReads } from './node-reads.js';
export { hasExited, waitForExit } from './process-exit.js';
export { type NodeEndpoint, pinnedClient, waitForNodeCql, waitForPort } from './wait-node.js';
