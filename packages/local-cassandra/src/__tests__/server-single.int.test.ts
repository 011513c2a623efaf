import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../index.js';
import {
  localCassandraStatus,
  StartTimeoutError,
  startLocalCassandra,
  stopLocalCassandra,
} from '../index.js';
import { isAlive } from '../process/pid.js';
import { releaseVersion, SERVER_TIMEOUT_MS, tempDir, withClient } from './helpers/fixtures.js';

const ADDRESS = '127.0.0.21';

describe('single node on 127.0.0.21', { timeout: SERVER_TIMEOUT_MS }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let cluster: LocalCluster;
  const progress: string[] = [];
  let concurrentReuse: boolean[] = [];

  beforeAll(async () => {
    dir = await tempDir('single');
    // Two starts at once, as parallel test files do: the lock makes one start it and the other reuse it.
    const start = () =>
      startLocalCassandra({ address: ADDRESS, dir: dir.path, onProgress: (m) => progress.push(m) });
    const both = await Promise.all([start(), start()]);
    concurrentReuse = both.map((c) => c.reused);
    cluster = both.find((c) => !c.reused) ?? (both[0] as LocalCluster);
  }, SERVER_TIMEOUT_MS);

  afterAll(async () => {
    await stopLocalCassandra({ dir: dir.path });
    await dir.remove();
  }, SERVER_TIMEOUT_MS);

  it('answers CQL on the requested address', async () => {
    expect(concurrentReuse.sort()).toEqual([false, true]);
    expect(cluster.reused).toBe(false);
    expect(cluster.contactPoints).toEqual([ADDRESS]);
    expect(cluster.localDataCenter).toBe('datacenter1');
    expect(progress.some((m) => m.includes('answers CQL'))).toBe(true);
    const version = await withClient({ contactPoints: cluster.contactPoints }, releaseVersion);
    expect(version).toBe(cluster.version);
  });

  it('stores data (a table round trip)', async () => {
    await withClient({ contactPoints: cluster.contactPoints }, async (client) => {
      await client.execute(
        "CREATE KEYSPACE IF NOT EXISTS t WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
      );
      await client.execute('CREATE TABLE IF NOT EXISTS t.kv (k int PRIMARY KEY, v blob)');
      await client.execute('INSERT INTO t.kv (k, v) VALUES (?, ?)', [1, Buffer.from([7, 8, 9])], {
        prepare: true,
      });
      const row = (await client.execute('SELECT v FROM t.kv WHERE k = 1')).first();
      expect([...(row?.get('v') as Buffer)]).toEqual([7, 8, 9]);
    });
  });

  it('reuses the running server on a second start', async () => {
    const again = await startLocalCassandra({ address: ADDRESS, dir: dir.path });
    expect(again.reused).toBe(true);
    expect(again.nodes[0]?.pid).toBe(cluster.nodes[0]?.pid);
  });

  it('refuses to reuse it with different options', async () => {
    await expect(
      startLocalCassandra({ address: ADDRESS, dir: dir.path, auth: true }),
    ).rejects.toThrow(/a different cluster .* is running/);
  });

  it('reports status, then stops and removes the pid file', async () => {
    const status = await localCassandraStatus({ dir: dir.path });
    expect(status.running).toBe(true);
    expect(status.nodes[0]).toMatchObject({ address: ADDRESS, running: true, cql: true });

    const pid = cluster.nodes[0]?.pid ?? -1;
    const result = await stopLocalCassandra({ dir: dir.path });
    expect(result.stopped).toEqual([ADDRESS]);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(`${cluster.nodes[0]?.dir}/cassandra.pid`)).toBe(false);
    expect((await localCassandraStatus({ dir: dir.path })).running).toBe(false);
  });

  it('fails a start that is not ready in time with the log tail, leaving nothing running', async () => {
    const error = await startLocalCassandra({
      address: ADDRESS,
      dir: dir.path,
      readyTimeoutMs: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartTimeoutError);
    const timeout = error as StartTimeoutError;
    expect(timeout.code).toBe('START_TIMEOUT');
    expect(timeout.message).toMatch(/127\.0\.0\.21:9042: not ready in time/);
    expect(timeout.message).toContain('--- server log (tail) ---');
    const status = await localCassandraStatus({ dir: dir.path });
    expect(status.nodes.map((n) => n.running)).toEqual([false]);
  });
});
