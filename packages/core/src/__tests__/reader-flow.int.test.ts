import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { CassdlClosedError } from '../errors.js';
import type { ReaderMetrics } from '../metrics/reader-metrics.js';
import { CassandraReader } from '../reader/reader.js';
import { connection, ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows();
const sourceUuids = packKeys(rows);

beforeAll(() => ensureDataset(rows), 120_000);

async function open(overrides: Record<string, unknown> = {}): Promise<CassandraReader> {
  return CassandraReader.open(
    {
      connection: await connection(),
      table: `${KEYSPACE}.data_int`,
      sourceUuids,
      engine: 'driver',
      batchSize: 50,
      ...overrides,
    },
    { metricsIntervalMs: 50 },
  );
}

/** Resource kinds that mean a socket or a thread is still open. */
function openHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter(
      (r) => r === 'TCPSocketWrap' || r === 'TCPWRAP' || r === 'MessagePort' || r === 'Worker',
    )
    .sort();
}

describe('flow control, metrics and close', () => {
  it('a slow consumer holds the reader at prefetchBuffers batches and inflight requests', async () => {
    const reader = await open({ prefetchBuffers: 2, inflight: 16 });
    const events: ReaderMetrics[] = [];
    reader.on('metrics', (m) => events.push(m));
    try {
      let delivered = 0;
      for await (const batch of reader.epoch()) {
        delivered += batch.size;
        await sleep(60); // the consumer "trains"
        const m = reader.metrics();
        expect(m.inflightBatches).toBeLessThanOrEqual(2);
        // Nothing beyond the window is ever read: memory stays bounded however slow the consumer.
        expect(m.fetchedRows).toBeLessThanOrEqual(delivered + 2 * 50);
        if (delivered >= 400) break;
      }
      const m = reader.metrics();
      expect(m.peakInflightBatches).toBe(2);
      expect(m.peakInflightRequests).toBeGreaterThan(0);
      expect(m.peakInflightRequests).toBeLessThanOrEqual(16);
      expect(m.samples).toBe(400);
      expect(m.latencyMs.p50).toBeGreaterThan(0);
      expect(m.latencyMs.p99).toBeGreaterThanOrEqual(m.latencyMs.p50);
      expect(m.stallFraction).toBeLessThan(0.5); // the consumer is the bottleneck here
      expect(events.length).toBeGreaterThan(3);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('slowStart ramps the prefetch window from 1 batch, never past prefetchBuffers', async () => {
    const reader = await open({ prefetchBuffers: 4, slowStart: 6 });
    try {
      const outstanding: number[] = [];
      for await (const _ of reader.epoch()) {
        await sleep(30); // let the window fill
        outstanding.push(reader.metrics().inflightBatches);
        if (outstanding.length === 10) break;
      }
      // While the consumer holds batch d (1-based), at most window(d) - 1 others are out: 0,0,1,1,2,...
      // Past the ramp the controller decides, under the user's bound of 4 (a
      // consumer this slow needs only its ready batches: 2 or 3).
      expect(outstanding.slice(0, 2)).toEqual([0, 0]);
      for (const n of outstanding.slice(6)) expect(n).toBeGreaterThanOrEqual(1);
      expect(reader.metrics().peakInflightBatches).toBeGreaterThanOrEqual(2);
      expect(reader.metrics().peakInflightBatches).toBeLessThanOrEqual(4);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('a consumer that never waits sees the stall time grow instead', async () => {
    const reader = await open({ prefetchBuffers: 1, inflight: 4 });
    try {
      for await (const _ of reader.epoch()) {
        // consume instantly
      }
      expect(reader.metrics().stallFraction).toBeGreaterThan(0.5);
      expect(reader.metrics().samplesPerSec).toBeGreaterThan(0);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('close() mid-epoch releases every socket and worker thread, and is idempotent', async () => {
    const before = openHandles();
    const reader = await open({ prefetchBuffers: 6 });
    const iterator = reader.epoch();
    await iterator.next();
    expect(openHandles().length).toBeGreaterThan(before.length);
    await Promise.all([reader.close(), reader.close()]);
    await expect(iterator.next()).rejects.toBeInstanceOf(CassdlClosedError);
    await expect(reader.fetch([rows[0]?.id as string])).rejects.toBeInstanceOf(CassdlClosedError);
    await sleep(100);
    expect(openHandles()).toEqual(before);
  }, 60_000);
});
