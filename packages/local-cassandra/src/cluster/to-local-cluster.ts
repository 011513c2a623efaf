import { readPid } from '../process/pid.js';
import { nodeLayout } from './layout.js';
import type { LocalCluster, NodeInfo } from './local-cluster.js';
import type { ClusterState } from './state.js';
import { stopLocalCassandra } from './stop.js';

export async function toLocalCluster(
  state: ClusterState,
  dir: string,
  reused: boolean,
): Promise<LocalCluster> {
  const nodes: NodeInfo[] = await Promise.all(
    state.addresses.map(async (address, i) => {
      const layout = nodeLayout(dir, i, address);
      return {
        address,
        pid: (await readPid(layout.pidFile)) ?? -1,
        dir: layout.dir,
        logFile: layout.systemLog,
      };
    }),
  );
  return {
    contactPoints: [...state.addresses],
    port: state.port,
    localDataCenter: 'datacenter1',
    nodes,
    dir,
    clusterName: state.clusterName,
    version: state.version,
    auth: state.auth,
    tls: state.tls,
    reused,
    stop: async () => {
      await stopLocalCassandra({ dir });
    },
  };
}
