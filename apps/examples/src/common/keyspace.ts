import { connectCassandra } from '@cassdl/core';
import type { ConnectionOptionsInput } from '@cassdl/schema';

/**
 * Drops the example's keyspace, so a rerun with other sizes does not mix old
 * rows into the new split (ingest itself is resumable and would keep them).
 */
export async function dropKeyspace(
  connection: ConnectionOptionsInput,
  keyspace: string,
): Promise<void> {
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(keyspace)) {
    throw new RangeError(
      `keyspace: expected lowercase letters, digits and _, received "${keyspace}"`,
    );
  }
  const client = await connectCassandra(connection);
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
  }
}
