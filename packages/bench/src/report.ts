import { cpus, totalmem } from 'node:os';

/** One measured run, in the JSON field names `cassdl bench` uses (issue 6). */
export interface BenchRun {
  /** `native`, `driver`, `plain` (a cassandra-driver `executeConcurrent` loop) or `floor` (loopback TCP, nothing else). */
  readonly engine: string;
  /** Added round-trip latency, or null when going straight to Cassandra. */
  readonly latencyMs: number | null;
  readonly samples: number;
  readonly bytes: number;
  readonly wallSec: number;
  readonly samplesPerSec: number;
  readonly bytesPerSec: number;
  readonly clientCpuSec: number;
  readonly mainThreadCpuSec: number;
  readonly cpuSecPer1kSamples: number;
  /** Extra field: main-thread CPU per 1,000 samples, the figure the training loop pays. */
  readonly mainThreadCpuSecPer1kSamples: number;
  /** V8 garbage-collection time during the run. */
  readonly gcSec: number;
  /** Which interleaved round this run belongs to (0-based). */
  readonly round?: number;
  /** Consumer stall fraction (reader engines only; null for `plain`). */
  readonly stallFraction: number | null;
  readonly peakRssBytes: number;
  /** Rows per batch of the run (null for the floor, which has none). */
  readonly batchSize: number | null;
  /**
   * What the reader's pipeline controller decided at the end of the run
   * (its in-flight and prefetch targets and the reason: `startup`, `link`,
   * `budget`, `server` or `limit`) and its round-trip floor; null for `plain`
   * and `floor`.
   */
  readonly inflightTarget: number | null;
  readonly prefetchTarget: number | null;
  readonly controllerReason: string | null;
  readonly controllerRttMs: number | null;
  /** Seconds from the first fetch until the delivery rate reached 90% of the run's final rate. */
  readonly t90Sec: number | null;
  /** Row request round trips (the engine's latency of single requests), median and 99th percentile. */
  readonly rttP50Ms: number | null;
  readonly rttP99Ms: number | null;
  /** The reader's `memoryBudget` in bytes, and the most its pipeline held at once (in flight + prefetched + handed out). */
  readonly memoryBudgetBytes: number | null;
  readonly peakHeldBytes: number | null;
  /** samples/s over the proxied +0 ms run of the same engine and batch size in the same invocation. */
  readonly vsZeroMs: number | null;
}

/** The fields of `BenchRun` that only a reader run fills (null for `plain` and `floor`). */
export const READER_FIGURE_KEYS = [
  'inflightTarget',
  'prefetchTarget',
  'controllerReason',
  'controllerRttMs',
  't90Sec',
  'rttP50Ms',
  'rttP99Ms',
  'memoryBudgetBytes',
  'peakHeldBytes',
] as const satisfies readonly (keyof BenchRun)[];

export type ReaderFigures = Pick<BenchRun, (typeof READER_FIGURE_KEYS)[number]>;

/** A run without a reader: none of its figures. */
export const NO_READER_FIGURES = Object.fromEntries(
  READER_FIGURE_KEYS.map((key) => [key, null]),
) as ReaderFigures;

/**
 * Each run's samples/s over the proxied +0 ms run of the same engine and
 * batch size (latency hiding); null for runs without a +0 ms partner
 * (direct runs, or no 0 in the latencies).
 */
export function withVsZero<
  T extends Pick<BenchRun, 'engine' | 'batchSize' | 'latencyMs' | 'samplesPerSec' | 'vsZeroMs'>,
>(runs: readonly T[]): T[] {
  return runs.map((r) => {
    const zero = runs.find(
      (z) => z.engine === r.engine && z.batchSize === r.batchSize && z.latencyMs === 0,
    );
    const vsZeroMs =
      r.latencyMs === null || zero === undefined || zero.samplesPerSec <= 0
        ? null
        : r.samplesPerSec / zero.samplesPerSec;
    return { ...r, vsZeroMs };
  });
}

export interface BenchReport {
  readonly runs: readonly BenchRun[];
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryBytes: number;
    readonly node: string;
    readonly platform: string;
  };
  readonly server: {
    readonly contactPoints: readonly string[];
    readonly releaseVersion: string | null;
  };
  readonly settings: Record<string, unknown>;
}

export function machineInfo(): BenchReport['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export interface Ratio {
  readonly samplesPerSec: number;
  readonly mainThreadCpuPer1k: number;
  readonly cpuPer1k: number;
}

/**
 * Each engine against `plain` at the same latency, from the median of each
 * figure over the rounds: on a shared machine one run is noise, the median of
 * interleaved rounds is the figure worth comparing.
 */
export function ratios(runs: readonly BenchRun[]): Record<string, Ratio> {
  const out: Record<string, Ratio> = {};
  const groupOf = (r: BenchRun) => `${r.engine}@${r.latencyMs}`;
  for (const group of new Set(runs.map(groupOf))) {
    const [engine, latency] = group.split('@') as [string, string];
    const mine = runs.filter((r) => groupOf(r) === group);
    const plain = runs.filter((r) => groupOf(r) === `plain@${latency}`);
    if (engine === 'plain' || plain.length === 0) continue;
    const ratio = (figure: (r: BenchRun) => number) =>
      median(mine.map(figure)) / median(plain.map(figure));
    out[`${engine}/plain${latency === 'null' ? '' : `@${latency}ms`}`] = {
      samplesPerSec: ratio((r) => r.samplesPerSec),
      mainThreadCpuPer1k: ratio((r) => r.mainThreadCpuSecPer1kSamples),
      cpuPer1k: ratio((r) => r.cpuSecPer1kSamples),
    };
  }
  return out;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
