import type { LocalTls } from '../tls/certificates.js';
import type { Credentials } from './state.js';

export interface NodeInfo {
  address: string;
  /** JVM process id (also its process group id). */
  pid: number;
  /** The node's folder: cassandra.yaml, logs/, data/. */
  dir: string;
  /** Cassandra's own log; look here first when something is off. */
  logFile: string;
}

/** A running local cluster, as `startLocalCassandra()` returns it. */
export interface LocalCluster {
  contactPoints: string[];
  port: number;
  localDataCenter: 'datacenter1';
  nodes: NodeInfo[];
  dir: string;
  clusterName: string;
  version: string;
  /** Superuser credentials when started with `auth`, else null. */
  auth: Credentials | null;
  /** CA and client certificate paths when started with `tls`, else null. */
  tls: LocalTls | null;
  /** True when a server already running in `dir` was found and reused. */
  reused: boolean;
  /** Stops every node (SIGTERM, then SIGKILL after 30 s). */
  stop(): Promise<void>;
}
