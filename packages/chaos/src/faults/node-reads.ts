import { setTimeout as sleep } from 'node:timers/promises';
import { type NodeEndpoint, pinnedClient } from './wait-node.js';

/**
 * How many reads of `keyspace.table` this node has coordinated since it
 * started: the `count` of its `system_views.coordinator_read_latency` row
 * (a node-local virtual table, so the query is pinned to the node). A client
 * sends a row request to a node, the node coordinates it: this counts what
 * the client asked of that node, whichever engine it was, seen from the server.
 */
export async function coordinatorReads(
  node: NodeEndpoint,
  keyspace: string,
  table: string,
): Promise<number> {
  const client = pinnedClient(node, 5000);
  try {
    await client.connect();
    const rs = await client.execute(
      'SELECT count FROM system_views.coordinator_read_latency WHERE keyspace_name = ? AND table_name = ?',
      [keyspace, table],
      { prepare: false },
    );
    const count: unknown = rs.first()?.get('count');
    return count === undefined || count === null ? 0 : Number(count);
  } finally {
    await client.shutdown().catch(() => {});
  }
}

/**
 * `coordinatorReads` once it holds still: a node that was frozen works off
 * the requests queued in its sockets after it thaws, and those must not be
 * counted as the next epoch's.
 */
export async function settledCoordinatorReads(
  node: NodeEndpoint,
  keyspace: string,
  table: string,
  { intervalMs = 1000, timeoutMs = 30_000 } = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = await coordinatorReads(node, keyspace, table);
  for (;;) {
    await sleep(intervalMs);
    const now = await coordinatorReads(node, keyspace, table);
    if (now === last || Date.now() >= deadline) return now;
    last = now;
  }
}
