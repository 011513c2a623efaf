export type { LocalCluster, NodeInfo } from './cluster/local-cluster.js';
export type { StartLocalCassandraOptions } from './cluster/options.js';
export {
  DEFAULT_ADDRESS,
  DEFAULT_PORT,
  DEFAULT_VERSION,
  defaultRequestThreads,
  isRequestThreads,
} from './cluster/options.js';
export { startLocalCassandra } from './cluster/start.js';
export type { Credentials } from './cluster/state.js';
export {
  type LocalCassandraStatus,
  localCassandraStatus,
  type NodeStatus,
} from './cluster/status.js';
export { type ClusterLocator, type StopResult, stopLocalCassandra } from './cluster/stop.js';
export { defaultCacheDir, defaultClusterDir } from './env/cache-dir.js';
export { type TestConnection, testConnectionFromEnv } from './env/test-connection-env.js';
export {
  LocalCassandraError,
  type LocalCassandraErrorCode,
  LocalCassandraOptionError,
  PortInUseError,
  PrerequisiteError,
  ServerNotInTierError,
  StartTimeoutError,
} from './errors/errors.js';
export { withClient } from './ready/with-client.js';
export { type CassandraJars, type ResolveOptions, resolveCassandraJars } from './resolve/jars.js';
export { testConnection } from './test-connection.js';
export type { LocalTls } from './tls/certificates.js';
export { generateTestPki, type TestPki, type TestPkiOptions } from './tls/test-pki.js';
