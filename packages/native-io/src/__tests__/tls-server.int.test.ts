import { readFile } from 'node:fs/promises';
import { type LocalCluster, startLocalCassandra } from '@cassdl/local-cassandra';
import type { PlanTls } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDataPlane } from '../index.js';
import {
  buildPlan,
  concat,
  DEFAULT_OPTIONS,
  KEYSPACE,
  readWithDriver,
  type SeededTable,
  seedTable,
} from './helpers/cassandra.js';
import { startFakeServer } from './helpers/fake-server.js';
import { fakeServerPlan } from './helpers/sample-plan.js';

/**
 * A real Cassandra with client-to-node TLS demanding a client certificate
 * (mutual TLS, encrypted client key) on its own loopback address, 127.0.0.42.
 */
describe('NativeDataPlane over TLS', () => {
  let cluster: LocalCluster;
  let client: cassandra.Client;
  let seeded: SeededTable;
  let tls: PlanTls;

  beforeAll(async () => {
    cluster = await startLocalCassandra({
      tls: true,
      requireClientAuth: true,
      address: '127.0.0.42',
      heap: '512M',
    });
    const local = cluster.tls;
    if (!local) throw new Error('startLocalCassandra({ tls: true }) returned no TLS material');
    const [cert, key] = await Promise.all([
      readFile(local.clientCertFile, 'utf8'),
      readFile(local.clientKeyFile, 'utf8'),
    ]);
    tls = {
      ca: local.caPem,
      cert,
      key,
      passphrase: local.clientKeyPassphrase,
      serverName: null,
      rejectUnauthorized: true,
    };
    client = new cassandra.Client({
      contactPoints: cluster.contactPoints,
      localDataCenter: cluster.localDataCenter,
      protocolOptions: { port: cluster.port },
      sslOptions: {
        ca: [local.caPem],
        cert,
        key,
        passphrase: local.clientKeyPassphrase,
        rejectUnauthorized: true,
      },
    });
    await client.connect();
    await client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    seeded = await seedTable(client, 'rows_tls', 'blob', 500);
  }, 240_000);

  afterAll(async () => {
    await client?.shutdown();
    if (cluster && !cluster.reused) await cluster.stop();
  }, 60_000);

  it('reads the same bytes as cassandra-driver with CA verification and a client certificate', async () => {
    const plane = await NativeDataPlane.open(
      await buildPlan(client, seeded, { tls }),
      DEFAULT_OPTIONS,
    );
    try {
      const keys = seeded.ids.slice(0, 300);
      const rows = await plane.fetch(concat(keys));
      expect(rows.size).toBe(keys.length);
      for (const [i, key] of keys.entries()) {
        const expected = await readWithDriver(client, seeded, key);
        const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
        expect(Buffer.from(data).equals(expected?.data as Buffer)).toBe(true);
        if (rows.labels.kind !== 'blob') throw new Error('expected blob labels');
        const label = rows.labels.data.subarray(rows.labels.offsets[i], rows.labels.offsets[i + 1]);
        expect(Buffer.from(label).equals(expected?.label as Buffer)).toBe(true);
      }
    } finally {
      await plane.close();
    }
  });

  it('sends SNI and checks the certificate against serverName', async () => {
    const ok = await NativeDataPlane.open(
      await buildPlan(client, seeded, { tls: { ...tls, serverName: 'localhost' } }),
      DEFAULT_OPTIONS,
    );
    await ok.close();
    const error = await NativeDataPlane.open(
      await buildPlan(client, seeded, { tls: { ...tls, serverName: 'db.example.com' } }),
      DEFAULT_OPTIONS,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_TLS',
      message: expect.stringMatching(/hostname mismatch|verification failed/),
    });
  });

  it('rejects a server whose certificate another CA signed', async () => {
    const otherCa = (
      await readFile(new URL('./fixtures/other-ca.pem', import.meta.url), 'utf8')
    ).toString();
    const error = await NativeDataPlane.open(
      await buildPlan(client, seeded, { tls: { ...tls, ca: otherCa } }),
      DEFAULT_OPTIONS,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_TLS',
      message: expect.stringContaining('certificate verification failed'),
    });
  });

  it('says a wrong key passphrase is wrong, without echoing it', async () => {
    const error = await NativeDataPlane.open(
      await buildPlan(client, seeded, { tls: { ...tls, passphrase: 'wrong-passphrase-77' } }),
      DEFAULT_OPTIONS,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_TLS',
      message: expect.stringContaining('passphrase'),
    });
    expect(`${(error as Error).message}${(error as Error).stack}`).not.toContain(
      'wrong-passphrase-77',
    );
  });
});

describe('TLS against a server that does not speak it', () => {
  it('fails the handshake with ERR_CASSDL_TLS', async () => {
    const server = await startFakeServer({ execute: () => null });
    try {
      const plan = fakeServerPlan(server.port, {
        tls: {
          ca: null,
          cert: null,
          key: null,
          passphrase: null,
          serverName: null,
          rejectUnauthorized: false,
        },
      });
      await expect(NativeDataPlane.open(plan, DEFAULT_OPTIONS)).rejects.toMatchObject({
        code: expect.stringMatching(/ERR_CASSDL_(TLS|CONNECT)/),
      });
    } finally {
      await server.close();
    }
  });
});
