export { FaultInjector, type NodeCondition } from './injector.js';
export { captureLaunchSpec, type LaunchSpec, relaunchNode } from './node-process.js';
export { hasExited, waitForExit } from './process-exit.js';
export { type NodeEndpoint, waitForNodeCql } from './wait-node.js';
