import { startLocalCassandra } from '@cassdl/local-cassandra';
import { type ConnectionOptionsInput, connectionFromEnv } from '@cassdl/schema';
import type { Logger } from './log.js';

/**
 * `CASSDL_CONTACT_POINTS` (with `CASSDL_PORT`, `CASSDL_LOCAL_DC`, ...) names an
 * existing cluster; otherwise a local single-node Cassandra is started (or
 * the running one reused), as `cassdl server start` does.
 */
export async function exampleConnection(log: Logger): Promise<ConnectionOptionsInput> {
  const fromEnv = connectionFromEnv(process.env);
  if (fromEnv !== null) {
    log(`using the cluster at ${fromEnv.contactPoints?.join(', ')} (CASSDL_CONTACT_POINTS)`);
    return fromEnv;
  }
  log('starting a local Apache Cassandra (the first run resolves its jars from Maven Central)');
  const cluster = await startLocalCassandra({ onProgress: (msg) => log(`  ${msg}`) });
  log(
    `${cluster.reused ? 'reusing' : 'started'} Cassandra ${cluster.version} at ${cluster.contactPoints.join(', ')}`,
  );
  return {
    contactPoints: cluster.contactPoints,
    port: cluster.port,
    localDataCenter: cluster.localDataCenter,
  };
}

/** The `CASSDL_*` variables a child process (the `cassdl` binary) needs to reach the same cluster. */
export function connectionEnv(connection: ConnectionOptionsInput): Record<string, string> {
  const env: Record<string, string> = {};
  const points = connection.contactPoints;
  if (points !== undefined) env.CASSDL_CONTACT_POINTS = points.join(',');
  if (connection.port !== undefined) env.CASSDL_PORT = String(connection.port);
  if (connection.localDataCenter !== undefined) env.CASSDL_LOCAL_DC = connection.localDataCenter;
  return env;
}
