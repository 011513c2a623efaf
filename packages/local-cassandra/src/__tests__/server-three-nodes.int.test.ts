import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../index.js';
import { startLocalCassandra, stopLocalCassandra } from '../index.js';
import { tempDir, withClient } from './helpers/fixtures.js';

const ADDRESSES = ['127.0.0.31', '127.0.0.32', '127.0.0.33'];
const THREE_NODE_TIMEOUT_MS = 600_000;

describe('three nodes on 127.0.0.31-33', { timeout: THREE_NODE_TIMEOUT_MS }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let cluster: LocalCluster;

  beforeAll(async () => {
    dir = await tempDir('three');
    cluster = await startLocalCassandra({
      nodes: 3,
      address: '127.0.0.31',
      dir: dir.path,
      heap: '512M',
    });
  }, THREE_NODE_TIMEOUT_MS);

  afterAll(async () => {
    await stopLocalCassandra({ dir: dir.path });
    await dir.remove();
  }, THREE_NODE_TIMEOUT_MS);

  it('returns three contact points in datacenter1', () => {
    expect(cluster.contactPoints).toEqual(ADDRESSES);
    expect(cluster.nodes.map((n) => n.address)).toEqual(ADDRESSES);
    expect(new Set(cluster.nodes.map((n) => n.pid)).size).toBe(3);
  });

  it('shows every node UP to the driver and in system.peers', async () => {
    await withClient({ contactPoints: [ADDRESSES[0] ?? ''] }, async (client) => {
      const hosts = client.hosts.values();
      expect(hosts.map((h) => h.address.split(':')[0]).sort()).toEqual(ADDRESSES);
      expect(hosts.every((h) => h.isUp())).toBe(true);
      expect(new Set(hosts.map((h) => h.datacenter))).toEqual(new Set(['datacenter1']));
      for (const address of ADDRESSES) {
        const host = hosts.find((h) => h.address.startsWith(address));
        const peers = await client.execute('SELECT peer FROM system.peers', [], { host });
        const seen = peers.rows.map((r) => String(r.get('peer'))).sort();
        expect(seen).toEqual(ADDRESSES.filter((a) => a !== address));
      }
    });
  });

  it('spreads the ring evenly: one token per node', async () => {
    await withClient({ contactPoints: cluster.contactPoints }, async (client) => {
      const tokens = client.metadata.getTokenRanges();
      expect(tokens.size).toBe(3);
    });
  });
});
