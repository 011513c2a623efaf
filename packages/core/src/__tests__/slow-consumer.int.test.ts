import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import {
  runNativeTests,
  testConnectionInput,
  withClient,
  writeRandomRows,
} from '@cassdl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeNative } from '../engines/native.js';
import type { ReaderMetrics } from '../metrics/reader-metrics.js';
import { CassandraReader } from '../reader/reader.js';

// Issue 8, "consumer slower than the network": a consumer that takes 200 ms
// per batch must hold the reader at its prefetch depth, in bytes as well as
// batches, and memory must level off instead of growing with the run.
/** This run's own keyspace on the shared test server (runs of this file may overlap), dropped afterwards. */
const KEYSPACE = `cassdl_core_test_slow_consumer_${Math.random().toString(36).slice(2, 8)}`;
const ROWS = 1024;
const ROW_BYTES = 32 * 1024;
const BATCH = 64;
const PREFETCH = 4;
const CONSUMER_MS = 200;
/** Per engine; both engines together stay near a minute. */
const RUN_MS = 32_000;
/** RSS climbs for the first ~8 s of a process's first reader (heap and arenas sizing up), then levels off. */
const WARMUP_MS = 10_000;
const RSS_SAMPLE_MS = 250;
/** What the prefetch may hold: its batches plus one, with room for arena rounding. */
const BUFFER_BOUND = (PREFETCH + 1) * BATCH * ROW_BYTES * 1.25;

const native = await probeNative();
const nativeName = native.available
  ? 'native engine'
  : `native engine (skipped: @cassdl/native-io does not load: ${native.causes.join('; ')})`;

let connection: ConnectionOptionsInput | undefined;
let sourceUuids: Uint8Array;

beforeAll(async () => {
  connection = await testConnectionInput();
  sourceUuids = await withClient(connection, (client) =>
    writeRandomRows(client, KEYSPACE, ROWS, ROW_BYTES),
  );
}, 120_000);

afterAll(async () => {
  if (connection !== undefined) {
    await withClient(connection, (client) => client.execute(`DROP KEYSPACE IF EXISTS ${KEYSPACE}`));
  }
}, 60_000);

describe('a consumer slower than the network', () => {
  it.skipIf(!runNativeTests(native))(
    `${nativeName}: prefetch stays within its bytes and RSS levels off`,
    () => slowConsumer('native'),
    120_000,
  );

  it(
    'driver engine: prefetch stays within its bytes and RSS levels off',
    () => slowConsumer('driver'),
    120_000,
  );
});

async function slowConsumer(engine: 'native' | 'driver'): Promise<void> {
  const reader = await CassandraReader.open(
    {
      connection: connection as ConnectionOptionsInput,
      table: `${KEYSPACE}.data`,
      sourceUuids,
      batchSize: BATCH,
      prefetchBuffers: PREFETCH,
      loopForever: true,
      engine,
    },
    { metricsIntervalMs: 100 },
  );
  const seen: ReaderMetrics[] = [];
  reader.on('metrics', (m) => seen.push(m));
  const rss: { t: number; bytes: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(
    () => rss.push({ t: performance.now() - started, bytes: process.memoryUsage.rss() }),
    RSS_SAMPLE_MS,
  );
  const epochs = new Set<number>();
  let delivered = 0;
  try {
    for await (const batch of reader) {
      expect(batch.size).toBe(BATCH);
      expect(batch.data.length).toBe(BATCH * ROW_BYTES);
      epochs.add(batch.epoch);
      delivered += batch.size;
      seen.push(reader.metrics());
      await sleep(CONSUMER_MS); // the training step
      if (performance.now() - started >= RUN_MS) break;
    }
    // Breaking out drops what was prefetched: nothing stays counted, not even batches landing later.
    await sleep(500);
    const after = reader.metrics();
    expect(after.bufferedBytes).toBe(0);
    expect(after.prefetchedBatches).toBe(0);
    seen.push(after);
  } finally {
    clearInterval(sampler);
    await reader.close();
  }

  // It looped over the dataset (loopForever), and read only what the window allows.
  expect(epochs.size).toBeGreaterThanOrEqual(2);
  const last = seen.at(-1) as ReaderMetrics;
  expect(last.samples).toBe(delivered);
  expect(last.fetchedRows).toBeLessThanOrEqual(delivered + PREFETCH * BATCH);

  // Bytes held in prefetch: never beyond the bound, and the window did fill (the metric counts).
  const maxSeen = Math.max(...seen.map((m) => m.bufferedBytes));
  expect(maxSeen).toBeLessThanOrEqual(BUFFER_BOUND);
  expect(last.peakBufferedBytes).toBeLessThanOrEqual(BUFFER_BOUND);
  expect(last.peakBufferedBytes).toBeGreaterThanOrEqual(maxSeen);
  expect(last.peakBufferedBytes).toBeGreaterThanOrEqual(2 * BATCH * ROW_BYTES);
  expect(last.peakPrefetchedBatches).toBeGreaterThanOrEqual(2);
  expect(last.peakPrefetchedBatches).toBeLessThanOrEqual(PREFETCH);
  for (const m of seen) expect(m.bufferedBytes).toBeGreaterThanOrEqual(0);

  // RSS after warm-up: the last quarter's average within 10% of the first quarter's.
  const steady = rss.filter((s) => s.t >= WARMUP_MS);
  const quarter = Math.floor(steady.length / 4);
  expect(quarter).toBeGreaterThanOrEqual(4);
  const mean = (xs: readonly { bytes: number }[]) =>
    xs.reduce((sum, x) => sum + x.bytes, 0) / xs.length;
  const first = mean(steady.slice(0, quarter));
  const lastQuarter = mean(steady.slice(-quarter));
  const growth = lastQuarter / first - 1;
  expect(
    growth,
    `RSS ${(first / 2 ** 20).toFixed(0)} MiB -> ${(lastQuarter / 2 ** 20).toFixed(0)} MiB`,
  ).toBeLessThan(0.1);
}
