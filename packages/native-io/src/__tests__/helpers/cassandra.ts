import { randomBytes } from 'node:crypto';
import { testConnection } from '@cassdl/local-cassandra';
import type { DataPlanePlan } from '@cassdl/schema';
import cassandra from 'cassandra-driver';

export const KEYSPACE = 'cassdl_native_test';

export type LabelType = 'int' | 'blob' | 'none';

export interface SeededTable {
  readonly table: string;
  readonly labelType: LabelType;
  /** Ids in insertion order, 16 bytes each. */
  readonly ids: Uint8Array[];
}

/** A driver client on the test cluster, with the test keyspace created. */
export async function openClient(
  target?: { contactPoints: string[]; port: number; localDataCenter: string },
  credentials?: { username: string; password: string },
): Promise<cassandra.Client> {
  const conn = target ?? (await testConnection());
  const client = new cassandra.Client({
    contactPoints: conn.contactPoints,
    protocolOptions: { port: conn.port },
    localDataCenter: conn.localDataCenter,
    ...(credentials ? { credentials } : {}),
  });
  await client.connect();
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  return client;
}

/** Creates `table` afresh with `count` rows of random, distinct blobs (sizes 0..4 KiB) and labels. */
export async function seedTable(
  client: cassandra.Client,
  table: string,
  labelType: LabelType,
  count: number,
): Promise<SeededTable> {
  await client.execute(`DROP TABLE IF EXISTS ${KEYSPACE}.${table}`);
  const label = labelType === 'none' ? '' : `, label ${labelType}`;
  await client.execute(
    `CREATE TABLE ${KEYSPACE}.${table} (id uuid PRIMARY KEY, data blob${label})`,
  );
  const ids = Array.from({ length: count }, () => new Uint8Array(randomBytes(16)));
  const insert =
    labelType === 'none'
      ? `INSERT INTO ${KEYSPACE}.${table} (id, data) VALUES (?, ?)`
      : `INSERT INTO ${KEYSPACE}.${table} (id, data, label) VALUES (?, ?, ?)`;
  const params = ids.map((id, i) => {
    // Distinct by construction (the index is in the bytes), random otherwise; row 0 has an empty blob.
    const data = Buffer.concat([
      Buffer.from(`${i}:`),
      randomBytes(i === 0 ? 0 : (i * 7919) % 4096),
    ]);
    const uuid = new cassandra.types.Uuid(Buffer.from(id));
    if (labelType === 'none') return [uuid, i === 0 ? Buffer.alloc(0) : data];
    const value = labelType === 'int' ? (i * 2654435761) | 0 : randomBytes(i % 64);
    return [uuid, data, value];
  });
  await cassandra.concurrent.executeConcurrent(client, insert, params, { concurrencyLevel: 64 });
  return { table, labelType, ids };
}

/** What cassandra-driver reads for one id: the reference the native engine must match byte for byte. */
export async function readWithDriver(
  client: cassandra.Client,
  seeded: SeededTable,
  id: Uint8Array,
): Promise<{ data: Buffer; label: number | Buffer | null } | null> {
  const columns = seeded.labelType === 'none' ? 'data' : 'data, label';
  const result = await client.execute(
    `SELECT ${columns} FROM ${KEYSPACE}.${seeded.table} WHERE id = ?`,
    [new cassandra.types.Uuid(Buffer.from(id))],
    { prepare: true },
  );
  const row = result.first();
  if (!row) return null;
  return {
    data: row.get('data') as Buffer,
    label: seeded.labelType === 'none' ? null : (row.get('label') as number | Buffer),
  };
}

export function rowReadQuery(seeded: SeededTable): string {
  const columns = seeded.labelType === 'none' ? '"data"' : '"data", "label"';
  return `SELECT ${columns} FROM "${KEYSPACE}"."${seeded.table}" WHERE "id" = ?`;
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
    keyspace: KEYSPACE,
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
    })),
    ring: ringEntries.map((e) => ({ token: e.token.toString(), replicas: [e.host] })),
    credentials: null,
    tls: null,
    connectTimeoutMs: 5000,
    requestTimeoutMs: 12000,
    ...overrides,
  };
}

export const DEFAULT_OPTIONS = {
  connectionsPerHost: 2,
  inflight: 256,
  onMissing: 'error' as const,
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 500 },
  slowStart: 0,
  reprepare: async (): Promise<Uint8Array> => {
    throw new Error('unexpected reprepare');
  },
};

export function concat(keys: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(keys.length * 16);
  keys.forEach((k, i) => {
    out.set(k, i * 16);
  });
  return out;
}

export function uuidText(id: Uint8Array): string {
  const hex = Buffer.from(id).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
