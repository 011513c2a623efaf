import type { PipelineReason } from '../controller/pipeline-controller.js';
import type { EngineStats, HostLatency } from '../engines/engine.js';

/** The pipeline controller's decision and what it is based on. */
export interface PipelineMetrics {
  /** Row requests the engine may keep on the wire now. */
  readonly inflightTarget: number;
  /** Batches the reader may keep on their way now (submitted, not yet arrived). */
  readonly prefetchTarget: number;
  /** Batches the reader may keep ahead of the consumer in all (those arrived behind a slow one included). */
  readonly windowTarget: number;
  /** What decides the depth: `'startup'`, `'link'`, `'budget'`, `'server'` (push-back) or `'limit'` (a user value). */
  readonly reason: PipelineReason;
  /** The controller's estimates: delivery rate (best of the last 4 s), round-trip floor of single row requests (per host least of the last 10 s, weighted by answers), mean row bytes. */
  readonly rowsPerSec: number;
  readonly rttMs: number;
  readonly rowBytes: number;
}

/** Bytes the reader holds, by category, against `memoryBudget`. */
export interface MemoryMetrics {
  readonly budget: number;
  /** Rows requested and not arrived, at the mean row size (an estimate). */
  readonly inflightBytes: number;
  /** Batches arrived and not handed to the consumer (exact). */
  readonly prefetchedBytes: number;
  /** Batches handed to the consumer and not released, retained ones included (exact). */
  readonly handedOutBytes: number;
  /** Native engine: rows and labels waiting in its arena chunks for their turn (beyond the three above); 0 for the driver engine. */
  readonly engineExtraBytes: number;
  /** The most the four together held at any 25 ms sample. */
  readonly peakHeldBytes: number;
}

/** A snapshot of a reader's throughput and health; plain data, safe to log as JSON. */
export interface ReaderMetrics {
  /** Milliseconds since the reader opened. */
  readonly elapsedMs: number;
  /** Rows handed to the consumer (padding included). */
  readonly samples: number;
  /** Rows the engine has read (delivered, in flight to the consumer, or dropped when an iteration stopped early). */
  readonly fetchedRows: number;
  /** Data and label bytes handed to the consumer. */
  readonly bytes: number;
  /** Rates since the reader opened. */
  readonly samplesPerSec: number;
  readonly bytesPerSec: number;
  /** Row requests on the wire now, and the most ever at once. */
  readonly inflightRequests: number;
  readonly peakInflightRequests: number;
  /** Batches submitted to the engine and not yet handed to the consumer, now and at most. */
  readonly inflightBatches: number;
  readonly peakInflightBatches: number;
  /**
   * Batches fetched and waiting for the consumer (prefetched, not yet handed
   * over), now and at most: at most `prefetchBuffers` however slow the consumer.
   */
  readonly prefetchedBatches: number;
  readonly peakPrefetchedBatches: number;
  /** Data and label bytes of those batches, now and at most: the memory the prefetch holds. */
  readonly bufferedBytes: number;
  readonly peakBufferedBytes: number;
  /** Row request latency (one EXECUTE, retries included) in milliseconds. */
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Row request latency per host, p50 and p99, with the requests answered and their summed latency. */
  readonly hosts: readonly HostLatency[];
  readonly pipeline: PipelineMetrics;
  readonly memory: MemoryMetrics;
  readonly retries: number;
  /** Rows skipped with `onMissing: 'skip'`. */
  readonly missing: number;
  /** Milliseconds the consumer spent waiting for a batch (it asked, none was ready). */
  readonly stallMs: number;
  /** `stallMs` over the time spent iterating (0..1): 0 means the reader always kept ahead. */
  readonly stallFraction: number;
  /** Rows handed to the consumer per source of a weighted mix, by source name (absent without `sources`). */
  readonly sources?: Readonly<Record<string, number>>;
}

/** Counters the reader updates per batch; `snapshot()` joins them with the engine's into `ReaderMetrics`. */
export class MetricsRecorder {
  readonly #openedAt = performance.now();
  samples = 0;
  bytes = 0;
  stallMs = 0;
  inflightBatches = 0;
  peakInflightBatches = 0;
  prefetchedBatches = 0;
  peakPrefetchedBatches = 0;
  bufferedBytes = 0;
  peakBufferedBytes = 0;
  #iteratingMs = 0;
  #iteratingSince: number | null = null;
  /** Names of a weighted mix's sources and the rows delivered from each (null without `sources`). */
  #sourceNames: readonly string[] | null = null;
  #sourceSamples: number[] = [];

  /** Starts counting rows per source, by these names. */
  countSources(names: readonly string[]): void {
    this.#sourceNames = names;
    this.#sourceSamples = names.map(() => 0);
  }

  /** Adds one batch's `sources` counts. */
  addSources(counts: readonly number[]): void {
    counts.forEach((c, i) => {
      this.#sourceSamples[i] = (this.#sourceSamples[i] ?? 0) + c;
    });
  }

  /** Called when an epoch iteration starts and ends: stall fraction is relative to this time. */
  iterating(active: boolean): void {
    const now = performance.now();
    if (active && this.#iteratingSince === null) this.#iteratingSince = now;
    if (!active && this.#iteratingSince !== null) {
      this.#iteratingMs += now - this.#iteratingSince;
      this.#iteratingSince = null;
    }
  }

  batchSubmitted(): void {
    this.inflightBatches++;
    if (this.inflightBatches > this.peakInflightBatches)
      this.peakInflightBatches = this.inflightBatches;
  }

  batchSettled(): void {
    this.inflightBatches--;
  }

  /** A fetched batch of `bytes` now waits for the consumer. */
  batchBuffered(bytes: number): void {
    this.prefetchedBatches++;
    this.bufferedBytes += bytes;
    if (this.prefetchedBatches > this.peakPrefetchedBatches)
      this.peakPrefetchedBatches = this.prefetchedBatches;
    if (this.bufferedBytes > this.peakBufferedBytes) this.peakBufferedBytes = this.bufferedBytes;
  }

  /** A buffered batch of `bytes` was handed to the consumer or dropped. */
  batchUnbuffered(bytes: number): void {
    this.prefetchedBatches--;
    this.bufferedBytes -= bytes;
  }

  /** Joins the reader's counters with the engine's (requests, latency, retries, missing rows). */
  snapshot(engine: EngineStats, pipeline: PipelineMetrics, memory: MemoryMetrics): ReaderMetrics {
    const now = performance.now();
    const elapsedMs = now - this.#openedAt;
    const iteratingMs =
      this.#iteratingMs + (this.#iteratingSince === null ? 0 : now - this.#iteratingSince);
    const seconds = Math.max(elapsedMs, 1) / 1000;
    return {
      elapsedMs,
      samples: this.samples,
      fetchedRows: engine.rows,
      bytes: this.bytes,
      samplesPerSec: this.samples / seconds,
      bytesPerSec: this.bytes / seconds,
      inflightRequests: engine.inflight,
      peakInflightRequests: engine.peakInflight,
      inflightBatches: this.inflightBatches,
      peakInflightBatches: this.peakInflightBatches,
      prefetchedBatches: this.prefetchedBatches,
      peakPrefetchedBatches: this.peakPrefetchedBatches,
      bufferedBytes: this.bufferedBytes,
      peakBufferedBytes: this.peakBufferedBytes,
      latencyMs: engine.latencyMs,
      hosts: engine.hosts ?? [],
      pipeline,
      memory,
      retries: engine.retries,
      missing: engine.missing,
      stallMs: this.stallMs,
      stallFraction: iteratingMs > 0 ? Math.min(1, this.stallMs / iteratingMs) : 0,
      ...(this.#sourceNames !== null
        ? {
            sources: Object.fromEntries(
              this.#sourceNames.map((name, i) => [name, this.#sourceSamples[i] ?? 0]),
            ),
          }
        : {}),
    };
  }
}
