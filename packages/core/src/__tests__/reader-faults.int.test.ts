import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CassdlNoReplicaError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import { checkBatch } from './helpers/batches.js';
import { connection, ensureDataset, KEYSPACE, testRows } from './helpers/dataset.js';
import { StallProxy } from './helpers/stall-proxy.js';

const rows = testRows();
const byId = new Map(rows.map((r) => [r.id, r]));

beforeAll(() => ensureDataset(rows), 120_000);

describe('timeouts, retries and the retry budget', () => {
  let proxy: StallProxy;
  let reader: CassandraReader;

  beforeAll(async () => {
    const c = await connection();
    proxy = await StallProxy.start({ host: c.contactPoints[0] as string, port: c.port });
    reader = await CassandraReader.open({
      connection: {
        contactPoints: [`127.0.0.1:${proxy.port}`],
        localDataCenter: c.localDataCenter,
      },
      table: `${KEYSPACE}.data_int`,
      engine: 'driver',
      requestTimeoutMs: 200,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
    });
  }, 60_000);
  afterAll(async () => {
    await reader?.close();
    await proxy?.close();
  });

  it('retries a timed-out row, then fails naming the id and every host tried with its cause', async () => {
    const id = rows[7]?.id as string;
    proxy.stalled = true;
    const started = performance.now();
    const error = await reader.fetch([id]).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    proxy.release();
    expect(error).toBeInstanceOf(CassdlNoReplicaError);
    const noReplica = error as CassdlNoReplicaError;
    expect(noReplica.id).toBe(id);
    expect(noReplica.attempts).toHaveLength(3);
    for (const attempt of noReplica.attempts) {
      expect(attempt.host).toBe(`127.0.0.1:${proxy.port}`);
      expect(attempt.cause).toMatch(/did not reply before timeout 200 ms/);
    }
    expect(noReplica.message).toContain(id);
    expect(noReplica.message).toContain('retry.maxAttempts');
    // Three 200 ms timeouts plus two backoffs: the budget is spent, not skipped.
    expect(elapsed).toBeGreaterThanOrEqual(3 * 200);
    expect(reader.metrics().retries).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('recovers once the node answers again: a stall shorter than the budget costs retries, not errors', async () => {
    proxy.stalled = true;
    const pending = reader.fetch(rows.slice(0, 20).map((r) => r.id));
    setTimeout(() => proxy.release(), 250);
    const batch = await pending;
    expect(checkBatch(batch, byId)).toEqual(rows.slice(0, 20).map((r) => r.id));
  }, 30_000);
});
