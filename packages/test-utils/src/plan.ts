import { type DataPlanePlan, RETRY_SERVER_CODES } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import type { SeededTable } from './datasets.js';

/** The row read of `seeded`, as the control plane would write it. */
export function rowReadQuery(seeded: SeededTable): string {
  const columns = seeded.labelType === 'none' ? '"data"' : '"data", "label"';
  return `SELECT ${columns} FROM "${seeded.keyspace}"."${seeded.table}" WHERE "id" = ?`;
}

/**
 * Prepares the row read through cassandra-driver and takes the prepared id
 * from its cache (core's control plane does this properly; tests only need the id).
 */
export async function prepareRowRead(client: cassandra.Client, query: string): Promise<Uint8Array> {
  await client.execute(query, [cassandra.types.Uuid.random()], { prepare: true });
  const metadata = client.metadata as unknown as {
    getPreparedInfo(keyspace: string | null, query: string): { queryId?: Buffer };
  };
  const info = metadata.getPreparedInfo(client.keyspace ?? null, query);
  if (!info.queryId) throw new Error('cassandra-driver did not cache the prepared id');
  return new Uint8Array(info.queryId);
}

/** A plan built by hand from the driver's view of the cluster (RF=1: each token range has one replica). */
export async function buildPlan(
  client: cassandra.Client,
  seeded: SeededTable,
  overrides: Partial<DataPlanePlan> = {},
): Promise<DataPlanePlan> {
  const query = rowReadQuery(seeded);
  const preparedId = await prepareRowRead(client, query);
  const hosts = client.hosts.values();
  const ringEntries: { token: bigint; host: number }[] = [];
  hosts.forEach((host, index) => {
    for (const token of host.tokens ?? []) ringEntries.push({ token: BigInt(token), host: index });
  });
  ringEntries.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  const hasLabel = seeded.labelType !== 'none';
  return {
    protocolVersion: 4,
    keyspace: seeded.keyspace,
    table: seeded.table,
    idCol: 'id',
    dataCol: 'data',
    labelCol: hasLabel ? 'label' : null,
    labelType: seeded.labelType,
    query,
    preparedId,
    resultMetadataId: null,
    resultColumns: hasLabel
      ? [
          { name: 'data', type: 'blob' },
          { name: 'label', type: seeded.labelType },
        ]
      : [{ name: 'data', type: 'blob' }],
    consistency: 0x000a,
    hosts: hosts.map((host) => ({
      address: host.address.split(':')[0] ?? host.address,
      port: Number(host.address.split(':')[1] ?? 9042),
      datacenter: host.datacenter,
      rack: host.rack,
      up: host.isUp(),
      local: true,
      sniName: null,
    })),
    ring: ringEntries.map((e) => ({ token: e.token.toString(), replicas: [e.host] })),
    credentials: null,
    tls: null,
    proxy: null,
    connectTimeoutMs: 5000,
    requestTimeoutMs: 12000,
    retryServerCodes: RETRY_SERVER_CODES,
    ...overrides,
  };
}

/** Native data-plane options for tests: small, fixed, and a reprepare that fails the test if called. */
export const DEFAULT_OPTIONS = {
  connectionsPerHost: 2,
  inflight: 256,
  onMissing: 'error' as const,
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 500 },
  reprepare: async (): Promise<Uint8Array> => {
    throw new Error('unexpected reprepare');
  },
};
