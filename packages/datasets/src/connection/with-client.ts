import { connectCassandra } from '@cassdl/core';
import {
  type ConnectionOptions,
  type ConnectionOptionsInput,
  connectionOptionsSchema,
  validate,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';

/**
 * Runs `work` with a connected cassandra-driver client for the same
 * connection options the reader takes (validated first, so a bad flag reads
 * like every other cassdl error), and always shuts it down.
 */
export async function withClient<T>(
  input: ConnectionOptionsInput,
  work: (client: cassandra.Client, connection: ConnectionOptions) => Promise<T>,
): Promise<T> {
  const connection = validate(connectionOptionsSchema, input, 'connection');
  const client = await connectCassandra(connection);
  try {
    return await work(client, connection);
  } finally {
    await client.shutdown();
  }
}
