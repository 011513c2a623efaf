import { isCassandraProcess, readPid } from '../process/pid.js';
import { type NodeLayout, nodeLayout } from './layout.js';
import { type ClusterState, readState } from './state.js';

export interface NodeProcess {
  layout: NodeLayout;
  /** Pid from the pid file, or null when there is none. */
  pid: number | null;
  /** The pid is alive and is a Cassandra daemon (not a recycled pid). */
  running: boolean;
}

export interface ClusterProcesses {
  state: ClusterState;
  nodes: NodeProcess[];
}

/** Reads cluster.json and each node's pid file; null when `dir` holds no cluster of ours. */
export async function clusterProcesses(dir: string): Promise<ClusterProcesses | null> {
  const state = await readState(dir);
  if (state === null) return null;
  const nodes = await Promise.all(
    state.addresses.map(async (address, i) => {
      const layout = nodeLayout(dir, i, address);
      const pid = await readPid(layout.pidFile);
      return { layout, pid, running: pid !== null && isCassandraProcess(pid) };
    }),
  );
  return { state, nodes };
}
