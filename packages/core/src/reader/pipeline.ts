import {
  type PipelineBounds,
  PipelineController,
  type PipelineTarget,
} from '../controller/pipeline-controller.js';
import type { Engine } from '../engines/engine.js';
import { ringSlots } from '../engines/select.js';
import type { MetricsRecorder } from '../metrics/reader-metrics.js';

/**
 * Bytes native-io maps per batch byte: it reserves a batch's data block at
 * 1.25x the mean row size times the rows (src/io/batch_assembler.cc) and a
 * block grows with 1/8 headroom (src/io/batch_ring.cc). Without it a
 * 256 MiB budget at +400 ms (110 KB rows) peaked at 667 MiB RSS.
 */
const NATIVE_BLOCK_FACTOR = 1.25 * 1.125;
/** How often the controller looks at the engine while an epoch runs. */
const SAMPLE_MS = 25;
/** An engine limit is re-sent only when the target moved by more than this share. */
const RESEND_SHARE = 0.05;

/** Bytes the reader holds now, by where they are. */
export interface HeldBytes {
  /** Rows requested and not arrived, at the measured mean row size (an estimate). */
  readonly inflight: number;
  /** Batches arrived and not yet handed to the consumer. */
  readonly prefetched: number;
  /** Batches handed to the consumer and not yet released (retained ones included). */
  readonly handedOut: number;
  /** The engine's memory beyond those three (native: arena headroom, idle ring slots, rows waiting in arena chunks). */
  readonly engineExtra: number;
}

/**
 * Joins the pipeline controller to a running reader: samples the engine
 * every 25 ms while an epoch is iterated, feeds the controller the engine's
 * counters (rows, bytes, retries, row requests answered per host and their
 * latencies) and the bytes handed out, sets the engine's in-flight limit
 * from each decision and gives the reader its window. One per reader, so
 * what it learned carries over from epoch to epoch.
 */
export class Pipeline {
  readonly #engine: Engine;
  readonly #controller: PipelineController;
  readonly #metrics: MetricsRecorder;
  readonly #batchSize: number;
  readonly budget: number;
  #timer: NodeJS.Timeout | null = null;
  #handedOutBytes = 0;
  #applied = 0;
  #appliedSlots = 0;
  #peakHeld = 0;
  /** The engine's own memory (native: its ring's arenas, estimated, and rows waiting in arena chunks), at the last sample; null: it does not say. */
  #engineBytes: number | null = null;

  constructor(engine: Engine, bounds: PipelineBounds, metrics: MetricsRecorder) {
    this.#engine = engine;
    this.#metrics = metrics;
    this.#batchSize = bounds.batchSize;
    this.#controller = new PipelineController(bounds);
    this.budget = bounds.memoryBudget;
    this.#apply(this.#controller.target);
  }

  get target(): PipelineTarget {
    return this.#controller.target;
  }

  /** Starts sampling (an epoch iteration began). */
  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.#timer.unref();
  }

  /** Stops sampling (the iteration ended or paused). */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One look at the engine; the timer calls it, tests may too. */
  sample(): void {
    const s = this.#engine.stats();
    const ring = s.batchRing;
    // Rows waiting in the native arenas' chunks, and the ring's arenas as the engine sizes them.
    // The ring's mappedBytes is not used: it is address space (process-wide, stale blocks of
    // closed planes included), and read 1-2.4 GB while RSS was 0.3 GB, which starved the window.
    this.#engineBytes =
      ring === undefined
        ? null
        : (ring.arenaBytes ?? 0) + this.#ringBytes(ring.slots, ring.ringSize, ring.lent);
    const target = this.#controller.observe({
      atMs: performance.now(),
      rows: s.rows,
      bytes: s.bytes,
      inflight: s.inflight,
      pushBacks: s.retries,
      hosts: s.hosts ?? [],
      handedOutBytes: this.#handedOutBytes,
      engineExtraBytes: this.held().engineExtra,
    });
    this.#apply(target);
  }

  /**
   * The native ring's arenas: the slots it keeps (at most its size) or
   * those lent, whichever is more, each as large as the engine makes a
   * batch's data block (`NATIVE_BLOCK_FACTOR`) plus its three blocks' page
   * headroom.
   */
  #ringBytes(slots: number, ringSize: number, lent: number): number {
    const batchBytes = this.target.rowBytes * this.#batchSize;
    const kept = Math.max(Math.min(slots, ringSize), lent);
    return Math.round(kept * (batchBytes * NATIVE_BLOCK_FACTOR + 3 * 65_536));
  }

  /**
   * A batch of `bytes` was handed to the consumer (negative: its memory went
   * back). Retained batches count until released, however many there are.
   */
  lend(bytes: number): void {
    this.#handedOutBytes += bytes;
  }

  /** Bytes held now by category, and the most their sum has been at a sample. */
  held(): HeldBytes & { readonly peak: number } {
    const m = this.#metrics;
    const unarrived = Math.max(0, m.inflightBatches - m.prefetchedBatches) * this.#batchSize;
    const inflight = Math.round(unarrived * this.target.rowBytes);
    const counted = inflight + m.bufferedBytes + this.#handedOutBytes;
    // The ring's arenas hold the window's and the consumer's batches: only what exceeds them is extra.
    const engineExtra = Math.max(0, (this.#engineBytes ?? 0) - counted);
    const total = counted + engineExtra;
    if (total > this.#peakHeld) this.#peakHeld = total;
    return {
      inflight,
      prefetched: m.bufferedBytes,
      handedOut: this.#handedOutBytes,
      engineExtra,
      peak: this.#peakHeld,
    };
  }

  /**
   * Arenas for the window, the batch the consumer holds and one retained.
   * The window is what the reader has submitted and not handed out, not
   * just `prefetch`: batches that arrived behind one still on its way stay
   * lent too, and a ring sized for `prefetch` alone lent past its end all
   * the time (2 KB rows, batch 128: 30 lent from a ring of 23, 60 overflow
   * slots a second, each a fresh mapping faulted in and unmapped). They grow
   * at once and shrink only below half, so the gain cycle's swings do not
   * unmap and fault in arenas every round.
   */
  #slotsFor(window: number): number {
    const needed = ringSlots(window);
    const current = this.#appliedSlots;
    if (needed > current || needed * 2 < current) return needed;
    return current;
  }

  #apply(target: PipelineTarget): void {
    const slots = this.#slotsFor(Math.max(target.prefetch, this.#metrics.inflightBatches));
    const moved = Math.abs(target.inflight - this.#applied) > this.#applied * RESEND_SHARE;
    if (!moved && slots === this.#appliedSlots) return;
    this.#applied = target.inflight;
    this.#appliedSlots = slots;
    this.#engine.setLimits({ inflight: target.inflight, batchSlots: slots });
  }
}
