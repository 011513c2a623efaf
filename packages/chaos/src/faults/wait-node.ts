import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import cassandra from 'cassandra-driver';

/** Where a node answers CQL. */
export interface NodeEndpoint {
  readonly address: string;
  readonly port: number;
  readonly localDataCenter: string;
}

/**
 * A client that talks to `node` only (an allow-list keeps the driver from
 * answering through another node): for node-local facts and readiness.
 */
export function pinnedClient(node: NodeEndpoint, connectTimeoutMs: number): cassandra.Client {
  return new cassandra.Client({
    contactPoints: [node.address],
    localDataCenter: node.localDataCenter,
    protocolOptions: { port: node.port },
    socketOptions: { connectTimeout: connectTimeoutMs, readTimeout: 2 * connectTimeoutMs },
    policies: {
      loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(
        new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy(node.localDataCenter),
        [`${node.address}:${node.port}`],
      ),
    },
  });
}

/**
 * Polls until `address` itself answers a query (an allow-list keeps the
 * driver from answering through another node), or throws at the deadline.
 */
export async function waitForNodeCql(node: NodeEndpoint, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    const client = pinnedClient(node, 2000);
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

/** Polls until `address:port` accepts a TCP connection, or throws at the deadline. */
export async function waitForPort(address: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port, timeout: 1000 });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
    });
    if (open) return;
    await sleep(250);
  }
  throw new Error(`${address}:${port} did not accept a connection within ${timeoutMs} ms`);
}
