import { type LocalCluster, startLocalCassandra } from '@cassdl/local-cassandra';
import { createDataTableCql, createKeyspaceCql } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CassdlConnectionError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import { checkBatch } from './helpers/batches.js';
import { type TestRow, testRows } from './helpers/dataset.js';

// Each server gets its own loopback address and cluster name (local-cassandra
// derives the name from the folder), so it can never join the dev cluster.
const rows = testRows(200);
const byId = new Map(rows.map((r) => [r.id, r]));
const TABLE = {
  keyspace: 'cassdl_core_secure',
  table: 'data',
  idCol: 'id',
  dataCol: 'data',
  labelCol: 'label',
  labelType: 'int',
} as const;

async function seed(options: cassandra.ClientOptions, data: readonly TestRow[]): Promise<void> {
  const client = new cassandra.Client(options);
  await client.connect();
  try {
    await client.execute(
      createKeyspaceCql({
        name: TABLE.keyspace,
        replication: { class: 'SimpleStrategy', replicationFactor: 1 },
        durableWrites: true,
      }),
    );
    await client.execute(createDataTableCql(TABLE));
    const insert = `INSERT INTO ${TABLE.keyspace}.${TABLE.table} (id, label, data) VALUES (?, ?, ?)`;
    await cassandra.concurrent.executeConcurrent(
      client,
      data.map((r) => ({ query: insert, params: [r.id, r.label, Buffer.from(r.data)] })),
      { concurrencyLevel: 32 },
    );
  } finally {
    await client.shutdown();
  }
}

async function readAll(reader: CassandraReader): Promise<number> {
  let n = 0;
  for await (const batch of reader.epoch()) n += checkBatch(batch, byId).length - batch.padding;
  return n;
}

describe('password authentication', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startLocalCassandra({ auth: true, address: '127.0.0.51', heap: '512M' });
    const auth = cluster.auth as { username: string; password: string };
    await seed(
      {
        contactPoints: cluster.contactPoints,
        localDataCenter: cluster.localDataCenter,
        authProvider: new cassandra.auth.PlainTextAuthProvider(auth.username, auth.password),
      },
      rows,
    );
  }, 180_000);
  afterAll(() => cluster?.stop(), 60_000);

  it('reads with the right credentials (DALI-style top-level username/password)', async () => {
    const auth = cluster.auth as { username: string; password: string };
    const reader = await CassandraReader.open({
      connection: {
        contactPoints: cluster.contactPoints,
        localDataCenter: cluster.localDataCenter,
      },
      username: auth.username,
      password: auth.password,
      table: `${TABLE.keyspace}.${TABLE.table}`,
      sourceUuids: rows.map((r) => r.id),
      batchSize: 64,
      engine: 'driver',
    });
    try {
      expect(await readAll(reader)).toBe(rows.length);
      expect(reader.options.connection.password).toBe('<redacted>');
      expect(JSON.stringify(reader.state())).not.toContain(auth.password);
      expect(JSON.stringify(reader.metrics())).not.toContain(auth.password);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it("fails a wrong password with the server's reason, without echoing the password", async () => {
    const error = await CassandraReader.open({
      connection: {
        contactPoints: cluster.contactPoints,
        username: 'cassandra',
        password: 'not-the-password-42',
      },
      table: `${TABLE.keyspace}.${TABLE.table}`,
      sourceUuids: rows.map((r) => r.id),
      engine: 'driver',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassdlConnectionError);
    expect((error as CassdlConnectionError).failure).toBe('auth');
    expect((error as Error).message).toMatch(/password are incorrect/i);
    expect((error as Error).message).not.toContain('not-the-password-42');
  }, 60_000);
});

describe('mutual TLS', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startLocalCassandra({
      tls: true,
      requireClientAuth: true,
      address: '127.0.0.52',
      heap: '512M',
    });
    const tls = cluster.tls as NonNullable<LocalCluster['tls']>;
    const { readFile } = await import('node:fs/promises');
    await seed(
      {
        contactPoints: cluster.contactPoints,
        localDataCenter: cluster.localDataCenter,
        sslOptions: {
          ca: [tls.caPem],
          cert: await readFile(tls.clientCertFile, 'utf8'),
          key: await readFile(tls.clientKeyFile, 'utf8'),
          passphrase: tls.clientKeyPassphrase,
          rejectUnauthorized: true,
        },
      },
      rows.slice(0, 50),
    );
  }, 180_000);
  afterAll(() => cluster?.stop(), 60_000);

  it('reads with CA, client certificate and encrypted key given as file paths', async () => {
    const tls = cluster.tls as NonNullable<LocalCluster['tls']>;
    const reader = await CassandraReader.open({
      connection: {
        contactPoints: cluster.contactPoints,
        localDataCenter: cluster.localDataCenter,
      },
      sslCertificate: tls.caFile,
      sslOwnCertificate: tls.clientCertFile,
      sslOwnKey: tls.clientKeyFile,
      sslOwnKeyPass: tls.clientKeyPassphrase,
      table: `${TABLE.keyspace}.${TABLE.table}`,
      sourceUuids: rows.slice(0, 50).map((r) => r.id),
      batchSize: 16,
      engine: 'driver',
    });
    try {
      expect(await readAll(reader)).toBe(50);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('fails the handshake with a TLS error when the server certificate is not trusted', async () => {
    const tls = cluster.tls as NonNullable<LocalCluster['tls']>;
    const error = await CassandraReader.open({
      connection: { contactPoints: cluster.contactPoints, connectTimeoutMs: 5000 },
      useSsl: true,
      sslOwnCertificate: tls.clientCertFile,
      sslOwnKey: tls.clientKeyFile,
      sslOwnKeyPass: tls.clientKeyPassphrase,
      table: `${TABLE.keyspace}.${TABLE.table}`,
      sourceUuids: rows.slice(0, 50).map((r) => r.id),
      engine: 'driver',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassdlConnectionError);
    expect((error as CassdlConnectionError).failure).toBe('tls');
    expect((error as Error).message).toMatch(/certificate/i);
  }, 60_000);
});
