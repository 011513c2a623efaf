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
import type { Engine, EngineKind } from '../engines/engine.js';
import { openEngine } from '../engines/select.js';
import { CassdlClosedError, CassdlStateError } from '../errors.js';
import { MetricsRecorder, type ReaderMetrics } from '../metrics/reader-metrics.js';
import { EpochCursor } from '../plan/cursor.js';
import { EpochPlan } from '../plan/epoch-plan.js';
import { idsFingerprint } from '../plan/fingerprint.js';
import { runEpoch } from './epoch-runner.js';
import { resolveIds } from './id-source.js';
import { type IdsInput, packInteractiveIds } from './interactive.js';
import { prefetchWindow } from './prefetch-window.js';
import { checkState, type ReaderState } from './state.js';

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
  readonly #ids: Uint8Array | null;
  readonly #fingerprint: string;
  readonly #metrics = new MetricsRecorder();
  readonly #events = new EventEmitter<ReaderEvents>();
  readonly #metricsIntervalMs: number;
  #metricsTimer: NodeJS.Timeout | null = null;
  #epoch = 0;
  #cursor: EpochCursor | null = null;
  #plan: EpochPlan | null = null;
  #iterating = false;
  #delivered = 0;
  #interactive = 0;
  #closing: Promise<void> | null = null;

  private constructor(
    options: ReaderOptions,
    control: ControlPlane,
    engine: Engine,
    ids: Uint8Array | null,
    runtime: ReaderRuntimeOptions,
  ) {
    this.#options = options;
    this.#control = control;
    this.#engine = engine;
    this.engineKind = engine.kind;
    this.#ids = ids;
    this.#fingerprint = ids === null ? '' : idsFingerprint(ids);
    this.#metricsIntervalMs = runtime.metricsIntervalMs ?? 1000;
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
    const options = parseReaderOptions(input);
    const ids = await resolveIds(options);
    if (ids !== null) checkShardable(ids, options);
    const control = await ControlPlane.open(options);
    try {
      const engine = await openEngine({
        plan: control.plan,
        options,
        reprepare: () => control.reprepare(),
        driverWorkers: runtime.driverWorkers,
      });
      return new CassandraReader(options, control, engine, ids, runtime);
    } catch (error) {
      await control.close().catch(() => undefined);
      throw error;
    }
  }

  /** The validated options with defaults applied; the password, key passphrase and an inline (PEM) key read `<redacted>`. */
  get options(): ReaderOptions {
    return redacted(this.#options);
  }

  /** Ids in the dataset (0 in interactive mode). */
  get size(): number {
    return this.#ids === null ? 0 : this.#ids.length / 16;
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

  /** The position, as a small JSON-safe object for `resume()` (in this or a new process). */
  state(): ReaderState {
    const ids = this.#requireIds('state()');
    const cursor = this.#cursor;
    return {
      version: 1,
      seed: this.#options.seed,
      epoch: this.#epoch,
      nextBatch: cursor?.prefix ?? 0,
      ahead: cursor?.ahead ?? [],
      sampleInEpoch: (cursor?.delivered ?? 0) * this.#options.batchSize,
      shardId: this.#options.shardId,
      numShards: this.#options.numShards,
      batchSize: this.#options.batchSize,
      shuffleEveryEpoch: this.#options.shuffleEveryEpoch,
      padLastBatch: this.#options.padLastBatch,
      datasetSize: ids.length / 16,
      datasetFingerprint: this.#fingerprint,
    };
  }

  /** Continues from a saved `state()`: the next batch is the first one it had not delivered. */
  resume(state: ReaderState): void {
    this.#assertOpen();
    if (this.#iterating)
      throw new CassdlStateError(
        'resume() while an epoch is being iterated; break out of it first.',
      );
    // Every epoch has the same number of batches, so it is known before the state is trusted.
    const batches = this.batchesPerEpoch;
    const checked = checkState(state, this.state(), batches);
    this.#epoch = checked.epoch;
    this.#cursor = new EpochCursor(checked.epoch, batches, checked.nextBatch, checked.ahead);
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

  /** Throughput, latency, in-flight depth and consumer stall, now. */
  metrics(): ReaderMetrics {
    return this.#metrics.snapshot(this.#engine.stats());
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
      const cursor =
        this.#cursor?.epoch === plan.epoch
          ? this.#cursor
          : new EpochCursor(plan.epoch, plan.batchCount);
      this.#cursor = cursor;
      const { prefetchBuffers, slowStart, ooo } = this.#options;
      yield* runEpoch({
        plan,
        cursor,
        engine: this.#engine,
        metrics: this.#metrics,
        ooo,
        closed: () => this.#closing !== null,
        window: () => prefetchWindow(this.#delivered, prefetchBuffers, slowStart),
        onDeliver: (batch) => {
          this.#delivered++;
          this.#metrics.samples += batch.size;
          this.#metrics.bytes +=
            batch.data.length + (batch.labels.kind === 'blob' ? batch.labels.data.length : 0);
        },
      });
      if (cursor.done) {
        this.#epoch = plan.epoch + 1;
        this.#cursor = null;
      }
    } finally {
      this.#iterating = false;
    }
  }

  #planFor(epoch: number): EpochPlan {
    if (this.#plan?.epoch !== epoch)
      this.#plan = new EpochPlan(planInput(this.#options, this.#requireIds('epoch()'), epoch));
    return this.#plan;
  }

  #requireIds(what: string): Uint8Array {
    if (this.#ids === null) {
      throw new CassdlStateError(
        `${what} needs an id list: pass sourceUuids or splitFile + splitName (this reader is interactive-only).`,
      );
    }
    return this.#ids;
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

/** Every shard needs at least one id (padding repeats a shard's own samples). */
function checkShardable(ids: Uint8Array, options: ReaderOptions): void {
  const n = ids.length / 16;
  if (n >= options.numShards) return;
  const expected = `at most ${n} (the number of ids), so that every shard gets one`;
  const received = `${options.numShards} (number)`;
  const issue = {
    path: 'reader.numShards',
    expected,
    received,
    message: `reader.numShards: expected ${expected}, received ${received}`,
  };
  throw new CassdlValidationError([issue], 'reader options');
}

function planInput(options: ReaderOptions, ids: Uint8Array, epoch: number) {
  return {
    ids,
    seed: options.seed,
    epoch,
    shuffle: options.shuffleEveryEpoch,
    shardId: options.shardId,
    numShards: options.numShards,
    batchSize: options.batchSize,
    padLastBatch: options.padLastBatch,
  };
}
