import cassandra from 'cassandra-driver';

/**
 * Connects a cassandra-driver client with `options` (data center
 * `datacenter1` unless given), runs `use`, and always shuts the client down.
 */
export async function withClient<T>(
  options: cassandra.ClientOptions,
  use: (client: cassandra.Client) => Promise<T>,
): Promise<T> {
  const client = new cassandra.Client({ localDataCenter: 'datacenter1', ...options });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.shutdown().catch(() => {});
  }
}
