import { setTimeout as sleep } from 'node:timers/promises';
import { formatUuid, type ReaderOptionsInput } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { CassandraReader } from '../reader/reader.js';
import { measure } from './measure.js';
import type { BenchRun } from './report.js';

export interface RunSettings {
  readonly connection: NonNullable<ReaderOptionsInput['connection']>;
  readonly table: string;
  readonly ids: Uint8Array;
  readonly batchSize: number;
  readonly prefetch: number;
  readonly inflight: number;
  /** Simulated consumer time per batch (awaited, like a GPU training step). */
  readonly consumerMs: number;
  readonly latencyMs: number | null;
  /** Driver-engine worker threads (default: the engine's). */
  readonly workers?: number;
}

/** Opens the reader a bench run measures: its settings, no padding, the given engine. */
export function openBenchReader(
  engine: 'driver' | 'native',
  s: RunSettings,
  extra: Pick<ReaderOptionsInput, 'loopForever'> = {},
): Promise<CassandraReader> {
  return CassandraReader.open(
    {
      connection: s.connection,
      table: s.table,
      sourceUuids: s.ids,
      batchSize: s.batchSize,
      prefetchBuffers: s.prefetch,
      inflight: s.inflight,
      padLastBatch: false,
      engine,
      ...extra,
    },
    { driverWorkers: s.workers },
  );
}

/** One epoch through `CassandraReader` with the given engine and a consumer that spends `consumerMs` per batch. */
export async function runReader(engine: 'driver' | 'native', s: RunSettings): Promise<BenchRun> {
  const reader = await openBenchReader(engine, s);
  try {
    const { result, cost } = await measure(async () => {
      let samples = 0;
      let bytes = 0;
      for await (const batch of reader.epoch()) {
        samples += batch.size;
        bytes += batch.data.length;
        if (s.consumerMs > 0) await sleep(s.consumerMs);
      }
      return { samples, bytes, stallFraction: reader.metrics().stallFraction };
    });
    return toRun(engine, s.latencyMs, result.samples, result.bytes, cost, result.stallFraction);
  } finally {
    await reader.close();
  }
}

/**
 * The baseline: a plain cassandra-driver `executeConcurrent` loop over the
 * same ids, on the main thread, results collected (in chunks, so memory stays
 * bounded) and their bytes counted. Its concurrency is the reader's effective
 * one: `min(inflight, prefetch * batchSize)` rows in flight.
 */
export async function runPlain(s: RunSettings, query: string): Promise<BenchRun> {
  const c = s.connection;
  const client = new cassandra.Client({
    contactPoints: c.contactPoints ?? [],
    localDataCenter: c.localDataCenter ?? 'datacenter1',
    ...(c.port !== undefined ? { protocolOptions: { port: c.port } } : {}),
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 2 } },
  });
  await client.connect();
  const ids = Array.from({ length: s.ids.length / 16 }, (_, i) => formatUuid(s.ids, i * 16));
  try {
    const { result, cost } = await measure(async () => {
      let bytes = 0;
      const concurrency = plainConcurrency(s);
      const chunk = Math.max(concurrency * 4, 1024);
      for (let start = 0; start < ids.length; start += chunk) {
        const params = ids.slice(start, start + chunk).map((id) => [id]);
        const out = await cassandra.concurrent.executeConcurrent(client, query, params, {
          concurrencyLevel: concurrency,
          collectResults: true,
        });
        for (const rs of out.resultItems as cassandra.types.ResultSet[]) {
          const data = rs.first()?.get('data') as Buffer | null | undefined;
          bytes += data?.length ?? 0;
        }
      }
      return { samples: ids.length, bytes };
    });
    return toRun('plain', s.latencyMs, result.samples, result.bytes, cost, null);
  } finally {
    await client.shutdown();
  }
}

/** Rows the reader keeps in flight at most, so the baseline gets the same depth. */
export function plainConcurrency(s: RunSettings): number {
  return Math.min(s.inflight, s.prefetch * s.batchSize);
}

function toRun(
  engine: string,
  latencyMs: number | null,
  samples: number,
  bytes: number,
  cost: Awaited<ReturnType<typeof measure>>['cost'],
  stallFraction: number | null,
): BenchRun {
  return {
    engine,
    latencyMs,
    samples,
    bytes,
    wallSec: cost.wallSec,
    samplesPerSec: samples / cost.wallSec,
    bytesPerSec: bytes / cost.wallSec,
    clientCpuSec: cost.clientCpuSec,
    mainThreadCpuSec: cost.mainThreadCpuSec,
    cpuSecPer1kSamples: (cost.clientCpuSec * 1000) / samples,
    mainThreadCpuSecPer1kSamples: (cost.mainThreadCpuSec * 1000) / samples,
    gcSec: cost.gcSec,
    stallFraction,
    peakRssBytes: cost.peakRssBytes,
  };
}
