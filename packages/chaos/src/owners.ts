import { connectCassandra } from '@cassdl/core';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import type { ChaosDataset } from './dataset.js';

/**
 * Packed ids of `dataset` whose replicas are all on `address`, per the
 * driver's token map (the partition key of a uuid id is its 16 bytes).
 * At RF=1 these are the rows that become unreadable when that node is down.
 */
export async function keysOwnedBy(
  connection: ConnectionOptionsInput,
  dataset: ChaosDataset,
  address: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const client = await connectCassandra(connection);
  try {
    const owned: number[] = [];
    for (let i = 0; i < dataset.ids.length && owned.length < limit; i++) {
      const key = Buffer.from(dataset.keys.subarray(i * 16, i * 16 + 16));
      const replicas = client.getReplicas(dataset.keyspace, key);
      if (replicas.length > 0 && replicas.every((h) => h.address.split(':')[0] === address))
        owned.push(i);
    }
    const keys = new Uint8Array(owned.length * 16);
    owned.forEach((row, k) => {
      keys.set(dataset.keys.subarray(row * 16, row * 16 + 16), k * 16);
    });
    return keys;
  } finally {
    await client.shutdown();
  }
}
