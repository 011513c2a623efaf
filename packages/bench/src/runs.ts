import { setTimeout as sleep } from 'node:timers/promises';
import { CassandraReader, connectionsPerHost, resolveLocalDataCenter } from '@cassdl/core';
import { formatUuid, type RawBatch, type ReaderOptionsInput } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { measure, type RunCost } from './measure.js';
import { type RampPoint, timeToShareOfFinal } from './ramp.js';
import { type BenchRun, NO_READER_FIGURES, type ReaderFigures } from './report.js';

/** Connections the plain baseline keeps in flight when the reader's `inflight` is `'auto'`: its old fixed default. */
const PLAIN_AUTO_INFLIGHT = 1024;

export interface RunSettings {
  readonly connection: NonNullable<ReaderOptionsInput['connection']>;
  readonly table: string;
  readonly ids: Uint8Array;
  readonly batchSize: number;
  /** The reader's `prefetchBuffers` and `inflight`: `'auto'` (its default) leaves them to its controller. */
  readonly prefetch: number | 'auto';
  readonly inflight: number | 'auto';
  /** The reader's `memoryBudget` (bytes, or `'auto'`: its default). */
  readonly memoryBudget?: number | 'auto';
  /** The reader's `connectionsPerHost` (`'auto'` or absent: its default); the plain loop opens as many (2 for `'auto'`). */
  readonly connectionsPerHost?: number | 'auto';
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
      memoryBudget: s.memoryBudget ?? 'auto',
      connectionsPerHost: s.connectionsPerHost ?? 'auto',
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
    const ramp: RampPoint[] = [];
    const { result, cost } = await measure(() =>
      readBatches(reader, reader.epoch(), s.consumerMs, undefined, ramp),
    );
    return benchRun(engine, s.latencyMs, result, cost, s.batchSize, readerFigures(reader, ramp));
  } finally {
    await reader.close();
  }
}

/** What the reader's metrics say at the end of a run, and how long its rate took to ramp up. */
export function readerFigures(reader: CassandraReader, ramp: readonly RampPoint[]): ReaderFigures {
  const m = reader.metrics();
  return {
    inflightTarget: m.pipeline.inflightTarget,
    prefetchTarget: m.pipeline.prefetchTarget,
    controllerReason: m.pipeline.reason,
    controllerRttMs: m.pipeline.rttMs,
    t90Sec: timeToShareOfFinal(ramp),
    rttP50Ms: m.latencyMs.p50,
    rttP99Ms: m.latencyMs.p99,
    memoryBudgetBytes: m.memory.budget,
    peakHeldBytes: m.memory.peakHeldBytes,
  };
}

/** What a consumer loop over a reader's batches counted. */
export interface ReadTally {
  readonly samples: number;
  readonly bytes: number;
  /** Epoch changes seen between batches (a looping reader's finished epochs). */
  readonly epochs: number;
  /** Milliseconds from the loop's start to the first epoch change, or null. */
  readonly firstEpochMs: number | null;
  readonly stallFraction: number;
}

/**
 * The one consumer loop every bench run measures: counts rows and bytes,
 * notes epoch changes, sleeps `consumerMs` per batch like a training step,
 * stops early once `stop(elapsedMs, epochs)` says so (it sees each batch),
 * and adds each batch's arrival to `ramp` when given.
 */
export async function readBatches(
  reader: CassandraReader,
  batches: AsyncIterable<RawBatch>,
  consumerMs: number,
  stop: (elapsedMs: number, epochs: number) => boolean = () => false,
  ramp?: RampPoint[],
): Promise<ReadTally> {
  const started = performance.now();
  let samples = 0;
  let bytes = 0;
  let epochs = 0;
  let firstEpochMs: number | null = null;
  let epoch: number | null = null;
  for await (const batch of batches) {
    if (epoch !== null && batch.epoch !== epoch) {
      epochs++;
      firstEpochMs ??= performance.now() - started;
    }
    epoch = batch.epoch;
    samples += batch.size;
    bytes += batch.data.length;
    ramp?.push({ ms: performance.now() - started, rows: samples });
    if (consumerMs > 0) await sleep(consumerMs);
    if (stop(performance.now() - started, epochs)) break;
  }
  return { samples, bytes, epochs, firstEpochMs, stallFraction: reader.metrics().stallFraction };
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
    localDataCenter: await resolveLocalDataCenter(c),
    ...(c.port !== undefined ? { protocolOptions: { port: c.port } } : {}),
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: plainConnections(s) } },
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
    return benchRun('plain', s.latencyMs, { ...result, stallFraction: null }, cost, s.batchSize);
  } finally {
    await client.shutdown();
  }
}

/** Connections per host of the plain loop (a cassandra-driver client): as many as the driver engine would open. */
function plainConnections(s: RunSettings): number {
  return connectionsPerHost('driver', { connectionsPerHost: s.connectionsPerHost ?? 'auto' });
}

/**
 * Rows the reader keeps in flight at most, so the baseline gets the same
 * depth; with `'auto'` (a controller the baseline does not have) the
 * reader's old fixed default of 1,024.
 */
export function plainConcurrency(s: RunSettings): number {
  const inflight = s.inflight === 'auto' ? PLAIN_AUTO_INFLIGHT : s.inflight;
  return s.prefetch === 'auto' ? inflight : Math.min(inflight, s.prefetch * s.batchSize);
}

/** A run's figures from what its loop counted and what `measure` saw. */
export function benchRun(
  engine: string,
  latencyMs: number | null,
  tally: {
    readonly samples: number;
    readonly bytes: number;
    readonly stallFraction: number | null;
  },
  cost: RunCost,
  batchSize: number | null = null,
  reader: ReaderFigures = NO_READER_FIGURES,
): BenchRun {
  const per1k = 1000 / Math.max(1, tally.samples);
  return {
    engine,
    latencyMs,
    samples: tally.samples,
    bytes: tally.bytes,
    wallSec: cost.wallSec,
    samplesPerSec: tally.samples / cost.wallSec,
    bytesPerSec: tally.bytes / cost.wallSec,
    clientCpuSec: cost.clientCpuSec,
    mainThreadCpuSec: cost.mainThreadCpuSec,
    cpuSecPer1kSamples: cost.clientCpuSec * per1k,
    mainThreadCpuSecPer1kSamples: cost.mainThreadCpuSec * per1k,
    gcSec: cost.gcSec,
    stallFraction: tally.stallFraction,
    peakRssBytes: cost.peakRssBytes,
    batchSize,
    ...reader,
    vsZeroMs: null,
  };
}
