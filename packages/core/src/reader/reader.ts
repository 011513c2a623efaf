import { EventEmitter } from 'node:events';
import {
  CassdlValidationError,
  isPem,
  type LentBatch,
  parseReaderOptions,
  type RawBatch,
  type ReaderOptions,
  type ReaderOptionsInput,
} from '@cassdl/schema';
import { ControlPlane } from '../control-plane/control-plane.js';
import { resolveMemoryBudget } from '../controller/memory-budget.js';
import { AUTO_MAX_PREFETCH, type PipelineBounds } from '../controller/pipeline-controller.js';
import type { Engine, EngineKind } from '../engines/engine.js';
import { maxInflight, maxQueueRows } from '../engines/select.js';
import { CassdlClosedError, CassdlStateError } from '../errors.js';
import { MetricsRecorder, type ReaderMetrics } from '../metrics/reader-metrics.js';
import { EpochCursor } from '../plan/cursor.js';
import { EpochPlan, type PlanSource } from '../plan/epoch-plan.js';
import { sourcesFingerprint } from '../plan/fingerprint.js';
import { normalizeRanges, type Range } from '../plan/ranges.js';
import { RowCursor } from '../plan/row-cursor.js';
import { sourceCounts } from '../plan/source-counts.js';
import { batchBytes, plannedFeed, runEpoch } from './epoch-runner.js';
import { type ResolvedSource, resolveSources } from './id-source.js';
import { type IdsInput, packInteractiveIds } from './interactive.js';
import { openReaderEngine } from './open-engine.js';
import { Pipeline } from './pipeline.js';
import { readerWindow } from './prefetch-window.js';
import { rowOooFeed } from './row-ooo-feed.js';
import { type ReaderState, resumePoint, type StateIdentity } from './state.js';

/** Settings of the reader object itself, beside the (schema-validated) reader options. */
export interface ReaderRuntimeOptions {
  /** Interval of `'metrics'` events. Default 1000 ms. */
  readonly metricsIntervalMs?: number;
  /** Driver-engine worker threads. Default 2 (1 on machines with 2 cores or fewer). */
  readonly driverWorkers?: number;
}

export interface ReaderEvents {
  metrics: [metrics: ReaderMetrics];
}

/**
 * Reads a Cassandra table of blobs as batches for training or inference.
 *
 * ```ts
 * const reader = await CassandraReader.open({ connection, table: 'ks.data', sourceUuids });
 * for await (const batch of reader) train(batch); // all configured epochs
 * await reader.close();
 * ```
 *
 * One epoch iteration runs at a time; `state()` and `resume()` save and
 * restore the position; `fetch(ids)` reads arbitrary ids at any time.
 */
export class CassandraReader {
  readonly #options: ReaderOptions;
  readonly engineKind: EngineKind;
  readonly #control: ControlPlane;
  readonly #engine: Engine;
  /** The id lists the epochs are planned over (one unless `sources` mixes several); null when interactive. */
  readonly #sources: readonly ResolvedSource[] | null;
  readonly #fingerprint: string;
  readonly #metrics = new MetricsRecorder();
  readonly #pipeline: Pipeline;
  readonly #events = new EventEmitter<ReaderEvents>();
  readonly #metricsIntervalMs: number;
  #metricsTimer: NodeJS.Timeout | null = null;
  #epoch = 0;
  /** Batch-level (in order) or row-level (`ooo`) progress through the current epoch. */
  #cursor: EpochCursor | RowCursor | null = null;
  /** What the current epoch's layout spreads over the shards: null for the whole epoch, less after an elastic resume. */
  #remaining: readonly Range[] | null = null;
  #plan: EpochPlan | null = null;
  #planRemaining: readonly Range[] | null = null;
  #iterating = false;
  #delivered = 0;
  #interactive = 0;
  #closing: Promise<void> | null = null;

  private constructor(
    options: ReaderOptions,
    control: ControlPlane,
    engine: Engine,
    sources: readonly ResolvedSource[] | null,
    runtime: ReaderRuntimeOptions,
  ) {
    this.#options = options;
    this.#control = control;
    this.#engine = engine;
    this.engineKind = engine.kind;
    this.#sources = sources;
    this.#fingerprint = sources === null ? '' : sourcesFingerprint(sources, options.epochSize);
    this.#metricsIntervalMs = runtime.metricsIntervalMs ?? 1000;
    this.#pipeline = new Pipeline(engine, pipelineBounds(options, engine.kind), this.#metrics);
    if (options.sources !== undefined && sources !== null)
      this.#metrics.countSources(sources.map((s) => s.name));
  }

  /**
   * Validates the options (throwing `CassdlValidationError` before anything
   * touches the network), connects, checks the table, prepares the row read
   * and starts the engine.
   */
  static async open(
    input: ReaderOptionsInput,
    runtime: ReaderRuntimeOptions = {},
  ): Promise<CassandraReader> {
    const parsed = parseReaderOptions(input);
    const sources = await resolveSources(parsed);
    if (sources !== null) checkShardable(sources, parsed);
    const control = await ControlPlane.open(parsed);
    const options = control.options;
    try {
      const engine = await openReaderEngine(control, options, sources, runtime.driverWorkers);
      return new CassandraReader(options, control, engine, sources, runtime);
    } catch (error) {
      await control.close().catch(() => undefined);
      throw error;
    }
  }

  /** The validated options with defaults applied; the password, key passphrase and an inline (PEM) key read `<redacted>`. */
  get options(): ReaderOptions {
    return redacted(this.#options);
  }

  /** Ids in the dataset, every source counted once (0 in interactive mode). */
  get size(): number {
    return datasetSize(this.#sources ?? []);
  }

  /** The epoch in progress, or the next one to start. */
  get currentEpoch(): number {
    return this.#epoch;
  }

  /** Batches each epoch yields on this shard (equal on every shard). */
  get batchesPerEpoch(): number {
    return this.#planFor(this.#epoch).batchCount;
  }

  /**
   * Iterates the current epoch from where it stands (its start, or where
   * `resume()` or an earlier, interrupted iteration left it). When it ends,
   * the reader moves to the next epoch. Breaking out of the loop keeps the
   * position: the next `epoch()` continues with the first batch not delivered.
   */
  epoch(): AsyncGenerator<LentBatch, void, undefined> {
    this.#assertOpen();
    this.#requireIds('epoch()');
    if (this.#iterating)
      throw new CassdlStateError(
        'An epoch is already being iterated; finish or break out of it first.',
      );
    return this.#runCurrentEpoch();
  }

  /** Every configured epoch from the current position (`epochs`, or forever with `loopForever`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<LentBatch, void, undefined> {
    while (this.#options.loopForever || this.#epoch < this.#options.epochs) yield* this.epoch();
  }

  /** The position, as a small JSON-safe object for `resume()` (in this or a new process, on this or another number of shards). */
  state(): ReaderState {
    const plan = this.#planFor(this.#epoch);
    const cursor = this.#cursor?.epoch === plan.epoch ? this.#cursor : null;
    const { batchSize } = this.#options;
    const rows = cursor instanceof RowCursor;
    return {
      version: 2,
      ...this.#identity(plan),
      epoch: this.#epoch,
      remaining: plan.layout.remaining,
      delivered: rows ? cursor.prefix : (cursor?.prefix ?? 0) * batchSize,
      window: rows
        ? cursor.window()
        : normalizeRanges(
            (cursor?.ahead ?? []).map((b): Range => [b * batchSize, (b + 1) * batchSize]),
          ),
      sampleInEpoch: rows ? cursor.delivered : (cursor?.delivered ?? 0) * batchSize,
    };
  }

  /**
   * Continues from saved state: this shard's own `state()` (same shard
   * layout), or the states of every shard of an earlier layout (an array, or
   * one `mergeStates(states)`), under this reader's `numShards`: every sample
   * that no old shard delivered is delivered once, by one new shard.
   */
  resume(state: ReaderState | readonly ReaderState[]): void {
    this.#assertOpen();
    if (this.#iterating)
      throw new CassdlStateError(
        'resume() while an epoch is being iterated; break out of it first.',
      );
    const point = resumePoint(state, this.#identity(this.#planFor(this.#epoch)));
    this.#epoch = point.epoch;
    this.#remaining = point.remaining;
    const plan = this.#planFor(point.epoch);
    if (this.#options.ooo)
      this.#cursor =
        point.kind === 'continue'
          ? rowCursorAt(plan, point.delivered, point.window)
          : new RowCursor(plan.epoch, plan.rows);
    else
      this.#cursor =
        point.kind === 'continue'
          ? cursorAt(plan, point.delivered, point.window)
          : new EpochCursor(plan.epoch, plan.batchCount);
  }

  /**
   * Interactive read (cassandra-dali-plugin's `cassandra_interactive`): the
   * rows of `ids`, in order, as one batch with `epoch: -1`. Many calls may be
   * outstanding at once; they share the engine's in-flight budget with the
   * epoch iteration.
   */
  async fetch(ids: IdsInput): Promise<RawBatch> {
    this.#assertOpen();
    const keys = packInteractiveIds(ids);
    const index = this.#interactive++;
    const rows = await this.#engine.fetch(keys);
    return {
      epoch: -1,
      index,
      size: rows.size,
      padding: 0,
      ids: rows.ids,
      data: rows.data,
      dataOffsets: rows.dataOffsets,
      labels: rows.labels,
    };
  }

  /** Throughput, latency, in-flight depth, the pipeline controller's target, memory held and consumer stall, now. */
  metrics(): ReaderMetrics {
    const t = this.#pipeline.target;
    const held = this.#pipeline.held();
    return this.#metrics.snapshot(
      this.#engine.stats(),
      {
        inflightTarget: t.inflight,
        prefetchTarget: t.prefetch,
        windowTarget: t.window,
        reason: t.reason,
        rowsPerSec: t.rowsPerSec,
        rttMs: t.rttMs,
        rowBytes: t.rowBytes,
      },
      {
        budget: this.#pipeline.budget,
        inflightBytes: held.inflight,
        prefetchedBytes: held.prefetched,
        handedOutBytes: held.handedOut,
        engineExtraBytes: held.engineExtra,
        peakHeldBytes: held.peak,
      },
    );
  }

  /** `'metrics'` events every `metricsIntervalMs` while a listener is attached. */
  on<E extends keyof ReaderEvents>(event: E, listener: (...args: ReaderEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    if (event === 'metrics' && this.#metricsTimer === null && this.#closing === null) {
      this.#metricsTimer = setInterval(
        () => this.#events.emit('metrics', this.metrics()),
        this.#metricsIntervalMs,
      );
      this.#metricsTimer.unref();
    }
    return this;
  }

  off<E extends keyof ReaderEvents>(event: E, listener: (...args: ReaderEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    if (this.#events.listenerCount('metrics') === 0) this.#stopMetrics();
    return this;
  }

  /**
   * Releases every socket and worker thread. Idempotent; safe mid-epoch
   * (outstanding fetches reject with `CassdlClosedError`).
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stopMetrics();
      this.#pipeline.stop();
      await this.#engine.close();
      await this.#control.close();
    })();
    return this.#closing;
  }

  async *#runCurrentEpoch(): AsyncGenerator<LentBatch, void, undefined> {
    if (this.#iterating)
      throw new CassdlStateError(
        'An epoch is already being iterated; finish or break out of it first.',
      );
    this.#iterating = true;
    try {
      const plan = this.#planFor(this.#epoch);
      const { slowStart, ooo } = this.#options;
      const feed = ooo
        ? rowOooFeed(plan, this.#rowCursor(plan), this.#engine)
        : plannedFeed(plan, this.#batchCursor(plan), this.#engine);
      const cursor = this.#cursor as EpochCursor | RowCursor;
      const pipeline = this.#pipeline;
      pipeline.start();
      yield* runEpoch({
        feed,
        metrics: this.#metrics,
        closed: () => this.#closing !== null,
        window: () =>
          readerWindow(
            pipeline.target,
            this.#delivered,
            slowStart,
            this.#metrics.prefetchedBatches,
          ),
        onDeliver: (batch) => {
          const bytes = batchBytes(batch);
          this.#delivered++;
          this.#metrics.samples += batch.size;
          if (batch.sources !== undefined) this.#metrics.addSources(batch.sources);
          this.#metrics.bytes += bytes;
          // Held until recycled: the next request, or release() of a retained batch.
          pipeline.lend(bytes);
          batch.whenRecycled(() => pipeline.lend(-bytes));
        },
      });
      if (cursor.done) {
        this.#epoch = plan.epoch + 1;
        this.#cursor = null;
        this.#remaining = null;
      }
    } finally {
      this.#pipeline.stop();
      this.#iterating = false;
    }
  }

  /** The epoch's batch cursor (in-order mode), kept across iterations of one epoch. */
  #batchCursor(plan: EpochPlan): EpochCursor {
    const cursor = this.#cursor;
    if (cursor instanceof EpochCursor && cursor.epoch === plan.epoch) return cursor;
    this.#cursor = new EpochCursor(plan.epoch, plan.batchCount);
    return this.#cursor;
  }

  /** The epoch's row cursor (`ooo`), kept across iterations of one epoch. */
  #rowCursor(plan: EpochPlan): RowCursor {
    const cursor = this.#cursor;
    if (cursor instanceof RowCursor && cursor.epoch === plan.epoch) return cursor;
    this.#cursor = new RowCursor(plan.epoch, plan.rows);
    return this.#cursor;
  }

  #planFor(epoch: number): EpochPlan {
    const remaining = epoch === this.#epoch ? this.#remaining : null;
    if (this.#plan?.epoch !== epoch || this.#planRemaining !== remaining) {
      const sources = this.#requireIds('epoch()');
      this.#plan = new EpochPlan({
        ...planInput(this.#options, epoch),
        sources,
        remaining: remaining ?? undefined,
      });
      this.#planRemaining = remaining;
    }
    return this.#plan;
  }

  /** What a saved state must share with this reader. */
  #identity(plan: EpochPlan): StateIdentity {
    const o = this.#options;
    return {
      seed: o.seed,
      shardId: o.shardId,
      numShards: o.numShards,
      batchSize: o.batchSize,
      shuffleEveryEpoch: o.shuffleEveryEpoch,
      padLastBatch: o.padLastBatch,
      epochSize: plan.global.length,
      datasetSize: this.size,
      datasetFingerprint: this.#fingerprint,
    };
  }

  #requireIds(what: string): readonly PlanSource[] {
    if (this.#sources === null) {
      throw new CassdlStateError(
        `${what} needs an id list: pass sourceUuids, splitFile + splitName, or sources (this reader is interactive-only).`,
      );
    }
    return this.#sources;
  }

  #assertOpen(): void {
    if (this.#closing !== null) throw new CassdlClosedError('reader');
  }

  #stopMetrics(): void {
    if (this.#metricsTimer !== null) clearInterval(this.#metricsTimer);
    this.#metricsTimer = null;
  }
}

function redacted(options: ReaderOptions): ReaderOptions {
  const { password, sslOwnKeyPass, sslOwnKey } = options.connection;
  return {
    ...options,
    connection: {
      ...options.connection,
      ...(password !== undefined ? { password: '<redacted>' } : {}),
      ...(sslOwnKeyPass !== undefined ? { sslOwnKeyPass: '<redacted>' } : {}),
      // A key file path is shown; key material given inline is not.
      ...(sslOwnKey !== undefined && isPem(sslOwnKey) ? { sslOwnKey: '<redacted>' } : {}),
    },
  };
}

/** Every shard needs at least one sample of a fresh epoch (padding repeats a shard's own samples). */
function checkShardable(sources: readonly PlanSource[], options: ReaderOptions): void {
  const shares = sources.map((s) => ({ ...s, size: s.ids.length / 16 }));
  const n = sourceCounts(shares, options.epochSize).reduce((a, b) => a + b, 0);
  if (n >= options.numShards) return;
  const expected = `at most ${n} (the samples in an epoch), so that every shard gets one`;
  const received = `${options.numShards} (number)`;
  const issue = {
    path: 'reader.numShards',
    expected,
    received,
    message: `reader.numShards: expected ${expected}, received ${received}`,
  };
  throw new CassdlValidationError([issue], 'reader options');
}

/** The controller's bounds: user values of `inflight`/`prefetchBuffers` cap it; `'auto'` leaves the engine's ceiling. */
function pipelineBounds(options: ReaderOptions, engine: EngineKind): PipelineBounds {
  return {
    batchSize: options.batchSize,
    maxInflight: maxInflight(options),
    maxPrefetch: options.prefetchBuffers === 'auto' ? AUTO_MAX_PREFETCH : options.prefetchBuffers,
    memoryBudget: resolveMemoryBudget(options.memoryBudget),
    ...maxQueueRows(engine),
  };
}

function planInput(options: ReaderOptions, epoch: number) {
  return {
    epochSize: options.epochSize,
    seed: options.seed,
    epoch,
    shuffle: options.shuffleEveryEpoch,
    shardId: options.shardId,
    numShards: options.numShards,
    batchSize: options.batchSize,
    padLastBatch: options.padLastBatch,
  };
}

function datasetSize(sources: readonly PlanSource[]): number {
  return sources.reduce((total, s) => total + s.ids.length / 16, 0);
}

/** The row cursor (`ooo`) of a shard that delivered rows `[0, delivered)` and the `window` rows of its epoch. */
function rowCursorAt(plan: EpochPlan, delivered: number, window: readonly Range[]): RowCursor {
  const beyond = Math.max(delivered, ...window.map(([, e]) => e));
  if (beyond > plan.rows)
    throw new CassdlStateError(
      `resume(state): delivered rows reach ${beyond}, past the ${plan.rows} rows of this shard's epoch.`,
    );
  return new RowCursor(plan.epoch, plan.rows, delivered, window);
}

/** The cursor of a shard that delivered rows `[0, delivered)` and the `window` rows of its epoch. */
function cursorAt(plan: EpochPlan, delivered: number, window: readonly Range[]): EpochCursor {
  const size = plan.batchSize;
  const covered = (b: number) =>
    b * size + size <= delivered || window.some(([s, e]) => s <= b * size && b * size + size <= e);
  const touched = (b: number) =>
    b * size < delivered || window.some(([s, e]) => s < b * size + size && b * size < e);
  const done: number[] = [];
  for (let b = 0; b < plan.batchCount; b++) {
    if (covered(b)) done.push(b);
    else if (touched(b))
      throw new CassdlStateError(
        `resume(state): batch ${b} was delivered in part; resume from the states of every shard (an elastic resume continues from single rows).`,
      );
  }
  const beyond = Math.max(delivered, ...window.map(([, e]) => e));
  if (beyond > plan.rows)
    throw new CassdlStateError(
      `resume(state): delivered rows reach ${beyond}, past the ${plan.rows} rows of this shard's epoch.`,
    );
  return new EpochCursor(plan.epoch, plan.batchCount, 0, done);
}
