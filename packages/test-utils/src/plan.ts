import {
  type DataPlanePlan,
  dataTableSchema,
  RETRY_SERVER_CODES,
  rowReadCql,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import type { SeededTable } from './datasets.js';

/** The row read of `seeded`: the control plane's own query text for its table. */
export function rowReadQuery(seeded: SeededTable): string {
  const { keyspace, table, labelType } = seeded;
  return rowReadCql(dataTableSchema.parse({ keyspace, table, labelType }));
}

/**
 * A plan built by hand from the driver's view of the cluster (RF=1: each
 * token range has one replica), for native-io's tests: the control plane
 * that builds real plans lives in @cassdl/core, a layer above native-io.
 */
export async function buildPlan(
  client: cassandra.Client,
  seeded: SeededTable,
  overrides: Partial<DataPlanePlan> = {},
): Promise<DataPlanePlan> {
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
    query: rowReadQuery(seeded),
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

/** Native data-plane options for tests: small and fixed. */
export const DEFAULT_OPTIONS = {
  connectionsPerHost: 2,
  inflight: 256,
  onMissing: 'error' as const,
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 500 },
};
