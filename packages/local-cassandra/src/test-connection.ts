import { startLocalCassandra } from './cluster/start.js';
import { type TestConnection, testConnectionFromEnv } from './env/test-connection-env.js';
import { ServerNotInTierError } from './errors/errors.js';

let pending: Promise<TestConnection> | null = null;

/**
 * The Cassandra a test should use. `CASSDL_CONTACT_POINTS` (with
 * `CASSDL_PORT`, `CASSDL_LOCAL_DC`) points at an existing cluster; otherwise
 * a default single node (127.0.0.1:9042, folder under the cache) is started
 * or reused and left running for the next test file, since a cold start costs
 * tens of seconds. Stop it with `cassdl server stop`. Under
 * `CASSDL_TEST_TIER=unit` it throws instead, so a unit-tier test that needs a
 * server fails loudly rather than starting one.
 */
export function testConnection(): Promise<TestConnection> {
  if (process.env.CASSDL_TEST_TIER === 'unit') return Promise.reject(new ServerNotInTierError());
  if (pending === null) {
    pending = resolveTestConnection().catch((error: unknown) => {
      pending = null;
      throw error;
    });
  }
  return pending;
}

async function resolveTestConnection(): Promise<TestConnection> {
  const fromEnv = testConnectionFromEnv();
  if (fromEnv !== null) return fromEnv;
  const cluster = await startLocalCassandra();
  return {
    contactPoints: cluster.contactPoints,
    port: cluster.port,
    localDataCenter: cluster.localDataCenter,
  };
}
