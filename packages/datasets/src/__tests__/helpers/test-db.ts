import { testConnection } from '@cassdl/local-cassandra';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import cassandra from 'cassandra-driver';

/** A keyspace name unique to this run: `cassdl_datasets_test_<what>_<random>`. */
export function testKeyspace(what: string): string {
  return `cassdl_datasets_test_${what}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Connection options for the test Cassandra, and a driver client to set up and check tables with. */
export async function testDb(): Promise<{
  connection: ConnectionOptionsInput;
  client: cassandra.Client;
}> {
  const c = await testConnection();
  const connection = {
    contactPoints: c.contactPoints,
    port: c.port,
    localDataCenter: c.localDataCenter,
  };
  const client = new cassandra.Client({
    contactPoints: c.contactPoints,
    localDataCenter: c.localDataCenter,
    protocolOptions: { port: c.port },
  });
  return { connection, client };
}
