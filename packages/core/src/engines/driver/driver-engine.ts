import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { DataPlanePlan } from '@cassdl/schema';
import { CassdlClosedError, type CassdlError } from '../../errors.js';
import { LatencyHistogram } from '../../metrics/histogram.js';
import type { RetryOptions } from '../backoff.js';
import type { Engine, EngineLimits, EngineStats, FetchedRows, FetchOptions } from '../engine.js';
import {
  COUNTER_SLOTS,
  Counter,
  type FromWorker,
  type PackedRows,
  type WorkerInit,
} from './messages.js';
import { spawnWorker } from './spawn.js';
import { errorFromWire } from './wire-error.js';

export interface DriverEngineOptions {
  /** Row requests in flight across all workers. */
  readonly inflight: number;
  readonly connectionsPerHost: number;
  readonly onMissing: 'error' | 'skip';
  readonly retry: RetryOptions;
  /** Worker threads, each with its own client. Default: 2, or 1 on a machine with 2 cores or fewer. */
  readonly workers?: number | undefined;
  readonly cloudBundle?: string | undefined;
}

interface Pending {
  readonly resolve: (rows: FetchedRows) => void;
  readonly reject: (error: CassdlError) => void;
  readonly rows: number;
}

interface WorkerSlot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Rows requested and not answered yet: new fetches go to the least loaded worker. */
  load: number;
}

/**
 * The `driver` engine: cassandra-driver in a small pool of worker threads.
 * Each worker packs a fetch's rows into arenas and transfers them, so the
 * training thread neither decodes CQL frames nor copies bytes; it only routes
 * messages. The portable fallback, and the oracle the native engine is
 * tested against.
 */
export class DriverEngine implements Engine {
  readonly kind = 'driver' as const;
  readonly #slots: WorkerSlot[];
  readonly #counters: Int32Array;
  readonly #latency = new LatencyHistogram();
  readonly #hostLatency = new Map<string, LatencyHistogram>();
  #seq = 0;
  #rows = 0;
  #bytes = 0;
  #missing = 0;
  #closed: Promise<void> | null = null;

  private constructor(slots: WorkerSlot[], counters: Int32Array) {
    this.#slots = slots;
    this.#counters = counters;
  }

  /** Starts the workers and waits until each has connected; rejects with the connection error otherwise. */
  static async open(plan: DataPlanePlan, options: DriverEngineOptions): Promise<DriverEngine> {
    const count = Math.max(1, options.workers ?? defaultWorkers());
    const counters = new SharedArrayBuffer(COUNTER_SLOTS * 4);
    const inflight = Math.max(1, Math.floor(options.inflight / count));
    const init: WorkerInit = {
      plan,
      inflight,
      connectionsPerHost: options.connectionsPerHost,
      onMissing: options.onMissing,
      retry: options.retry,
      cloudBundle: options.cloudBundle,
      counters,
    };
    const slots = Array.from({ length: count }, () => ({
      worker: spawnWorker(init),
      pending: new Map(),
      load: 0,
    }));
    const engine = new DriverEngine(slots, new Int32Array(counters));
    const started = await Promise.allSettled(slots.map((slot) => engine.#start(slot)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) {
      await engine.close();
      throw failed.reason;
    }
    return engine;
  }

  /**
   * With `oooGroup`, every fetch of the group goes to one worker (the group
   * number picks it), which fills them in arrival order: one arrival queue
   * per group, no row crossing threads twice.
   */
  fetch(keys: Uint8Array, options: FetchOptions = {}): Promise<FetchedRows> {
    if (this.#closed !== null) return Promise.reject(new CassdlClosedError('engine'));
    const rows = keys.length / 16;
    const group = options.oooGroup;
    const slot =
      group === undefined
        ? this.#slots.reduce((best, s) => (s.load < best.load ? s : best))
        : (this.#slots[Math.abs(group) % this.#slots.length] as WorkerSlot);
    const seq = this.#seq++;
    slot.load += rows;
    return new Promise<FetchedRows>((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject, rows });
      slot.worker.postMessage(
        group === undefined ? { type: 'fetch', seq, keys } : { type: 'fetch', seq, keys, group },
      );
    });
  }

  /** Splits the limit evenly over the workers (each caps it at its open-time share). */
  setLimits(limits: EngineLimits): void {
    const inflight = Math.max(1, Math.floor(limits.inflight / this.#slots.length));
    for (const slot of this.#slots) slot.worker.postMessage({ type: 'limits', inflight });
  }

  stats(): EngineStats {
    const c = this.#counters;
    return {
      requests: Atomics.load(c, Counter.requests),
      retries: Atomics.load(c, Counter.retries),
      failures: Atomics.load(c, Counter.failures),
      rows: this.#rows,
      bytes: this.#bytes,
      inflight: Atomics.load(c, Counter.inflight),
      peakInflight: Atomics.load(c, Counter.peakInflight),
      missing: this.#missing,
      latencyMs: this.#latency.summary(),
      hosts: [...this.#hostLatency].map(([host, h]) => ({
        host,
        p50: h.quantile(0.5),
        p99: h.quantile(0.99),
        answered: h.count,
        totalMs: h.totalMs,
      })),
    };
  }

  close(): Promise<void> {
    this.#closed ??= Promise.all(this.#slots.map((slot) => this.#stop(slot))).then(() => undefined);
    return this.#closed;
  }

  #start(slot: WorkerSlot): Promise<void> {
    return new Promise((resolve, reject) => {
      slot.worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'init-error') reject(errorFromWire(message.error));
        else this.#settle(slot, message);
      });
      slot.worker.once('error', (error) => {
        reject(error);
        this.#failAll(
          slot,
          errorFromWire({ kind: 'internal', message: error.stack ?? error.message }),
        );
      });
      slot.worker.once('exit', () => {
        reject(new CassdlClosedError('engine'));
        this.#failAll(slot, new CassdlClosedError('engine'));
      });
    });
  }

  #settle(slot: WorkerSlot, message: FromWorker): void {
    if (message.type !== 'rows' && message.type !== 'error') return;
    const pending = slot.pending.get(message.seq);
    if (pending === undefined) return;
    slot.pending.delete(message.seq);
    slot.load -= pending.rows;
    if (message.type === 'error') {
      pending.reject(errorFromWire(message.error));
      return;
    }
    pending.resolve(this.#account(slot, message.rows));
  }

  #account(slot: WorkerSlot, rows: PackedRows): FetchedRows {
    this.#recordLatencies(rows);
    this.#rows += rows.size;
    this.#bytes += rows.data.length + (rows.labels.kind === 'blob' ? rows.labels.data.length : 0);
    this.#missing += rows.missing.length / 16;
    const { latencies: _latencies, hostOf: _hostOf, hosts: _hosts, ...fetched } = rows;
    return { ...fetched, release: this.#recycler(slot, rows.data.buffer as ArrayBuffer) };
  }

  /**
   * Gives the data arena back to its worker (once), which packs a later
   * fetch into it: the arena is moved, so views of the recycled batch read
   * as empty, never as another batch's rows.
   */
  #recycler(slot: WorkerSlot, buffer: ArrayBuffer): () => void {
    let done = false;
    return () => {
      if (done || this.#closed !== null || buffer.byteLength === 0) return;
      done = true;
      slot.worker.postMessage({ type: 'recycle', buffer }, [buffer]);
    };
  }

  #recordLatencies({ latencies, hostOf, hosts }: PackedRows): void {
    const perHost = hosts.map((host) => {
      const known = this.#hostLatency.get(host);
      if (known !== undefined) return known;
      const h = new LatencyHistogram();
      this.#hostLatency.set(host, h);
      return h;
    });
    latencies.forEach((ms, i) => {
      this.#latency.record(ms);
      perHost[hostOf[i] as number]?.record(ms);
    });
  }

  #failAll(slot: WorkerSlot, error: CassdlError): void {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
    slot.load = 0;
  }

  async #stop(slot: WorkerSlot): Promise<void> {
    this.#failAll(slot, new CassdlClosedError('engine'));
    const closed = new Promise<void>((resolve) => {
      slot.worker.on('message', (m: FromWorker) => m.type === 'closed' && resolve());
      slot.worker.once('exit', () => resolve());
    });
    slot.worker.postMessage({ type: 'close' });
    // The client drains its sockets; a hung shutdown must not hang close().
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    await slot.worker.terminate();
  }
}

/**
 * Two workers where there is room, one on small machines: measured on 2
 * cores, a second worker costs about 15% more CPU per row (another isolate
 * and client) without reading faster, and the training thread needs a core.
 */
function defaultWorkers(): number {
  return availableParallelism() > 2 ? 2 : 1;
}
