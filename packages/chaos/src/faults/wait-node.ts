import cassandra from 'cassandra-driver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where a node answers CQL. */
export interface NodeEndpoint {
  readonly address: string;
  readonly port: number;
  readonly localDataCenter: string;
}

/**
 * Polls until `address` itself answers a query (an allow-list keeps the
 * driver from answering through another node), or throws at the deadline.
 */
export async function waitForNodeCql(node: NodeEndpoint, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    const client = new cassandra.Client({
      contactPoints: [node.address],
      localDataCenter: node.localDataCenter,
      protocolOptions: { port: node.port },
      socketOptions: { connectTimeout: 2000, readTimeout: 4000 },
      policies: {
        loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(
          new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy(node.localDataCenter),
          [`${node.address}:${node.port}`],
        ),
      },
    });
    try {
      await client.connect();
      await client.execute('SELECT release_version FROM system.local');
      return;
    } catch (error) {
      last = error;
    } finally {
      await client.shutdown().catch(() => {});
    }
    await sleep(1000);
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new Error(
    `node ${node.address}:${node.port} did not answer CQL within ${timeoutMs} ms (${reason})`,
  );
}
