import { resolve } from 'node:path';
import { defaultClusterDir } from '../env/cache-dir.js';
import { removePid } from '../process/pid.js';
import { terminateGroup } from '../process/terminate.js';
import { DEFAULT_ADDRESS, DEFAULT_PORT } from './options.js';
import { clusterProcesses } from './running.js';

export interface ClusterLocator {
  /** The cluster folder given to start; default derived from address and port. */
  dir?: string;
  address?: string;
  port?: number;
  cacheDir?: string;
}

export interface StopResult {
  dir: string;
  /** Addresses of nodes that were running and are now stopped. */
  stopped: string[];
  /** Nodes that ignored SIGTERM for 30 s and were killed. */
  killed: string[];
}

export function locateClusterDir(locator: ClusterLocator = {}): string {
  if (locator.dir !== undefined) return resolve(locator.dir);
  return defaultClusterDir(
    locator.address ?? DEFAULT_ADDRESS,
    locator.port ?? DEFAULT_PORT,
    locator.cacheDir,
  );
}

/**
 * Stops every node of the cluster in `dir` (the last node first, so the seed
 * goes last) and removes the pid files. Data and logs stay for inspection; the
 * next start wipes the data. Only processes recorded in our pid files are
 * signalled.
 */
export async function stopLocalCassandra(locator: ClusterLocator = {}): Promise<StopResult> {
  const dir = locateClusterDir(locator);
  const result: StopResult = { dir, stopped: [], killed: [] };
  const found = await clusterProcesses(dir);
  if (found === null) return result;
  for (const node of [...found.nodes].reverse()) {
    if (node.running && node.pid !== null) {
      const how = await terminateGroup(node.pid);
      if (how !== 'not-running') result.stopped.push(node.layout.address);
      if (how === 'killed') result.killed.push(node.layout.address);
    }
    await removePid(node.layout.pidFile);
  }
  return result;
}
