import { type LocalCluster, startLocalCassandra } from '@cassdl/local-cassandra';
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDataPlane } from '../index.js';
import {
  buildPlan,
  concat,
  DEFAULT_OPTIONS,
  openClient,
  readWithDriver,
  type SeededTable,
  seedTable,
} from './helpers/cassandra.js';

/** A real Cassandra with PasswordAuthenticator on its own loopback address (127.0.0.41), started for this file. */
describe('NativeDataPlane against a Cassandra with authentication', () => {
  let cluster: LocalCluster;
  let client: cassandra.Client;
  let seeded: SeededTable;

  beforeAll(async () => {
    cluster = await startLocalCassandra({ auth: true, address: '127.0.0.41', heap: '512M' });
    client = await openClient(cluster, cluster.auth ?? undefined);
    seeded = await seedTable(client, 'rows_auth', 'int', 500);
  }, 240_000);

  afterAll(async () => {
    await client?.shutdown();
    // Stopped unless it was already running before this file (then it belongs to someone else).
    if (cluster && !cluster.reused) await cluster.stop();
  }, 60_000);

  it('reads the same bytes as cassandra-driver after SASL PLAIN', async () => {
    const plan = await buildPlan(client, seeded, { credentials: cluster.auth });
    const plane = await NativeDataPlane.open(plan, DEFAULT_OPTIONS);
    try {
      const keys = seeded.ids.slice(0, 300);
      const rows = await plane.fetch(concat(keys));
      expect(rows.size).toBe(keys.length);
      for (const [i, key] of keys.entries()) {
        const expected = await readWithDriver(client, seeded, key);
        const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
        expect(Buffer.from(data).equals(expected?.data as Buffer)).toBe(true);
        expect(rows.labels.kind === 'int' && rows.labels.values[i]).toBe(expected?.label);
      }
    } finally {
      await plane.close();
    }
  });

  it('fails with ERR_CASSDL_AUTH and the server reason on a wrong password, without echoing it', async () => {
    const username = cluster.auth?.username ?? 'cassandra';
    const plan = await buildPlan(client, seeded, {
      credentials: { username, password: 'not-the-password-42' },
    });
    const error = await NativeDataPlane.open(plan, DEFAULT_OPTIONS).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CASSDL_AUTH' });
    expect((error as Error).message).toMatch(/bad credentials|incorrect/i);
    expect(`${(error as Error).message}${(error as Error).stack}`).not.toContain(
      'not-the-password-42',
    );
  });

  it('fails with ERR_CASSDL_AUTH when the plan has no credentials', async () => {
    const plan = await buildPlan(client, seeded, { credentials: null });
    await expect(NativeDataPlane.open(plan, DEFAULT_OPTIONS)).rejects.toMatchObject({
      code: 'ERR_CASSDL_AUTH',
      message: expect.stringContaining('requires authentication'),
    });
  });
});
