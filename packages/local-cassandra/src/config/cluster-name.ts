import { createHash } from 'node:crypto';

/**
 * A cluster name unique to (first address, port, folder). Cassandra refuses
 * gossip between clusters with different names, so a node started for one
 * local cluster can never join another one and take its token ranges.
 */
export function clusterNameFor(address: string, port: number, dir: string): string {
  const digest = createHash('sha256')
    .update(`${address}:${port}:${dir}`)
    .digest('hex')
    .slice(0, 12);
  return `cassdl-${digest}`;
}
