import { waitForCql } from '../ready/wait.js';
import type { LocalTls } from '../tls/certificates.js';
import { nodeLogTail } from './log-tail.js';
import { clusterProcesses } from './running.js';
import type { Credentials } from './state.js';
import { type ClusterLocator, locateClusterDir } from './stop.js';

export interface NodeStatus {
  address: string;
  pid: number | null;
  /** The recorded pid is a live Cassandra process. */
  running: boolean;
  /** `SELECT release_version FROM system.local` answered just now. */
  cql: boolean;
  logFile: string;
}

export interface LocalCassandraStatus {
  dir: string;
  /** False when `dir` holds no cluster made by cassdl. */
  exists: boolean;
  /** Every node is running and answers CQL. */
  running: boolean;
  clusterName: string | null;
  version: string | null;
  contactPoints: string[];
  port: number | null;
  localDataCenter: 'datacenter1';
  auth: Credentials | null;
  tls: LocalTls | null;
  nodes: NodeStatus[];
}

/** Reports what runs in a cluster folder, probing each live node with one CQL query. */
export async function localCassandraStatus(
  locator: ClusterLocator = {},
): Promise<LocalCassandraStatus> {
  const dir = locateClusterDir(locator);
  const found = await clusterProcesses(dir);
  if (found === null) {
    return {
      dir,
      exists: false,
      running: false,
      clusterName: null,
      version: null,
      contactPoints: [],
      port: null,
      localDataCenter: 'datacenter1',
      auth: null,
      tls: null,
      nodes: [],
    };
  }
  const { state } = found;
  const target = {
    contactPoints: state.addresses,
    port: state.port,
    auth: state.auth,
    tls: state.tls,
  };
  const nodes = await Promise.all(
    found.nodes.map(async (n): Promise<NodeStatus> => {
      const cql =
        n.running &&
        (await waitForCql(target, n.layout.address, {
          deadline: Date.now(),
          isRunning: () => true,
          logTail: () => nodeLogTail(n.layout),
          what: 'status',
        }).then(
          () => true,
          () => false,
        ));
      return {
        address: n.layout.address,
        pid: n.pid,
        running: n.running,
        cql,
        logFile: n.layout.systemLog,
      };
    }),
  );
  return {
    dir,
    exists: true,
    running: nodes.every((n) => n.running && n.cql),
    clusterName: state.clusterName,
    version: state.version,
    contactPoints: [...state.addresses],
    port: state.port,
    localDataCenter: 'datacenter1',
    auth: state.auth,
    tls: state.tls,
    nodes,
  };
}
