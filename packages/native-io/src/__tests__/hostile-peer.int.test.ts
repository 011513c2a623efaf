import { type TestConnection, testConnection } from '@cassdl/local-cassandra';
import type { DataPlanePlan } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FetchedRows, NativeDataPlane } from '../index.js';
import {
  buildPlan,
  concat,
  DEFAULT_OPTIONS,
  KEYSPACE,
  openClient,
  type SeededTable,
  seedTable,
} from './helpers/cassandra.js';
import {
  type CorruptingProxy,
  type Corruption,
  startCorruptingProxy,
} from './helpers/corrupting-proxy.js';

const PROXY = { host: '127.0.0.82', port: 9042 };

/**
 * The test Cassandra (`testConnection()`) behind a proxy (127.0.0.82) that replaces one
 * RESULT Rows frame, mid-batch with many requests in flight, by a hostile one.
 * The only way for the fetch to finish is for the data plane to notice, close
 * that connection, reconnect and retry what was on it: the request timeout is
 * far beyond the test timeout, so a request stuck on a bad stream would hang
 * the test rather than be rescued by a timeout.
 */
describe('NativeDataPlane against a peer sending hostile frames', () => {
  let cluster: TestConnection;
  let node: { host: string; port: number };
  let client: cassandra.Client;
  let seeded: SeededTable;
  let plan: DataPlanePlan;
  /** What cassandra-driver reads, by id (hex): the reference for every byte. */
  const expected = new Map<string, { data: Buffer; label: Buffer }>();
  let proxy: CorruptingProxy | undefined;
  let plane: NativeDataPlane | undefined;

  beforeAll(async () => {
    cluster = await testConnection();
    node = { host: cluster.contactPoints[0] as string, port: cluster.port };
    client = await openClient(cluster);
    seeded = await seedTable(client, 'rows_hostile', 'blob', 600);
    let pageState: string | undefined;
    do {
      const page = await client.execute(
        `SELECT id, data, label FROM ${KEYSPACE}.${seeded.table}`,
        [],
        { prepare: true, fetchSize: 500, ...(pageState ? { pageState } : {}) },
      );
      for (const row of page.rows) {
        expected.set((row.get('id') as cassandra.types.Uuid).getBuffer().toString('hex'), {
          data: row.get('data') as Buffer,
          label: row.get('label') as Buffer,
        });
      }
      pageState = page.pageState ?? undefined;
    } while (pageState);
    plan = await buildPlan(client, seeded, {
      hosts: [
        {
          address: PROXY.host,
          port: PROXY.port,
          datacenter: cluster.localDataCenter,
          rack: 'rack1',
          up: true,
          local: true,
          sniName: null,
        },
      ],
      requestTimeoutMs: 600_000,
    });
  }, 240_000);

  afterEach(async () => {
    await plane?.close();
    await proxy?.close();
    plane = undefined;
    proxy = undefined;
  });

  afterAll(async () => {
    await client?.shutdown();
  }, 60_000);

  function expectEachOnce(rows: FetchedRows, keys: readonly Uint8Array[]) {
    expect(rows.size).toBe(keys.length);
    expect(rows.missing.length).toBe(0);
    expect(Buffer.from(rows.ids).equals(Buffer.from(concat(keys)))).toBe(true);
    if (rows.labels.kind !== 'blob') throw new Error('expected blob labels');
    const { labels } = rows;
    keys.forEach((key, i) => {
      const want = expected.get(Buffer.from(key).toString('hex'));
      const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
      const label = labels.data.subarray(labels.offsets[i], labels.offsets[i + 1]);
      expect(Buffer.from(data).equals(want?.data as Buffer), `data of row ${i}`).toBe(true);
      expect(Buffer.from(label).equals(want?.label as Buffer), `label of row ${i}`).toBe(true);
    });
  }

  const cases: [Corruption, 'client' | 'proxy'][] = [
    ['truncated-header', 'proxy'],
    ['length-past-end', 'proxy'],
    ['negative-length', 'client'],
    ['wrong-opcode', 'client'],
    ['unknown-stream', 'client'],
    ['huge-row-count', 'client'],
    ['negative-cell-length', 'client'],
    ['cell-past-end', 'client'],
  ];

  it.each(cases)(
    '%s: the connection is closed (by the %s), the rows on it are retried, each id arrives once',
    async (corruption, closer) => {
      proxy = await startCorruptingProxy({
        listen: PROXY,
        target: node,
        corruption,
        skipRows: 40,
      });
      // One connection, so the rest of the batch can only arrive over a new one.
      plane = await NativeDataPlane.open(plan, {
        ...DEFAULT_OPTIONS,
        connectionsPerHost: 1,
        inflight: 128,
      });
      const keys = seeded.ids.slice(0, 500);
      const rows = await plane.fetch(concat(keys));
      expect(proxy.corrupted).toBe(true);
      expect(await proxy.corruptedClosed).toBe(closer);
      expectEachOnce(rows, keys);
      expect(proxy.connections).toBeGreaterThanOrEqual(2);

      // Still alive and serving: the next batch goes over the fresh connection.
      const more = seeded.ids.slice(500, 600);
      expectEachOnce(await plane.fetch(concat(more)), more);

      const stats = plane.stats();
      expect(stats.failures).toBe(0);
      // Each row decoded once: a row answered twice would count twice.
      expect(stats.rows).toBe(keys.length + more.length);
      // The rows that were on the wire when the frame came were sent again, and counted as retries.
      expect(stats.requests).toBeGreaterThan(stats.rows);
      expect(stats.retries).toBeGreaterThanOrEqual(stats.requests - stats.rows);
      expect(stats.inflight).toBe(0);
    },
    60_000,
  );
});
