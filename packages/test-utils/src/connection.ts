import { testConnection, withClient as withDriverClient } from '@cassdl/local-cassandra';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import cassandra from 'cassandra-driver';

/** Where a test's driver client connects: a node's contact points, port and data center. */
export interface TestTarget {
  readonly contactPoints: readonly string[];
  readonly port: number;
  readonly localDataCenter: string;
}

/** Connection input for the test Cassandra (`CASSDL_CONTACT_POINTS`, or a local node started for the run). */
export async function testConnectionInput(): Promise<
  ConnectionOptionsInput & { contactPoints: string[]; port: number; localDataCenter: string }
> {
  const c = await testConnection();
  return { contactPoints: c.contactPoints, port: c.port, localDataCenter: c.localDataCenter };
}

/** A connected cassandra-driver client on `target` (default: the test server). */
export async function openDriverClient(
  target?: TestTarget,
  credentials?: { username: string; password: string },
): Promise<cassandra.Client> {
  const conn = target ?? (await testConnection());
  const client = new cassandra.Client({
    contactPoints: [...conn.contactPoints],
    protocolOptions: { port: conn.port },
    localDataCenter: conn.localDataCenter,
    ...(credentials ? { credentials } : {}),
  });
  await client.connect();
  return client;
}

/** Connects to `target` (default: the test server), runs `use`, always shuts the client down. */
export async function withClient<T>(
  target: ConnectionOptionsInput | undefined,
  use: (client: cassandra.Client) => Promise<T>,
): Promise<T> {
  const c = target ?? (await testConnectionInput());
  return withDriverClient(
    {
      contactPoints: [...(c.contactPoints ?? [])],
      protocolOptions: { port: c.port ?? 9042 },
      ...(c.localDataCenter !== undefined ? { localDataCenter: c.localDataCenter } : {}),
    },
    use,
  );
}
