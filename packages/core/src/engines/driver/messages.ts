import type { DataPlanePlan, FetchedRows } from '@cassdl/schema';
import type { RetryOptions } from '../backoff.js';
import type { WireError } from './wire-error.js';

/** What a driver-engine worker is started with (its `workerData`). */
export interface WorkerInit {
  readonly plan: DataPlanePlan;
  /** This worker's share of the reader's `inflight` budget. */
  readonly inflight: number;
  readonly connectionsPerHost: number;
  readonly onMissing: 'error' | 'skip';
  readonly retry: RetryOptions;
  readonly cloudBundle?: string | undefined;
  /**
   * Counters shared by every worker of one engine (Int32, updated with
   * Atomics), so the main thread reads in-flight depth without a message.
   */
  readonly counters: SharedArrayBuffer;
}

/** Slots of `WorkerInit.counters`. */
export const Counter = {
  inflight: 0,
  peakInflight: 1,
  requests: 2,
  retries: 3,
  failures: 4,
} as const;
export const COUNTER_SLOTS = 5;

export type ToWorker =
  /** `group`: the fetch's `oooGroup` (every fetch of a group goes to one worker, which fills them in arrival order). */
  | {
      readonly type: 'fetch';
      readonly seq: number;
      readonly keys: Uint8Array;
      readonly group?: number | undefined;
    }
  /** This worker's new share of the in-flight limit. */
  | { readonly type: 'limits'; readonly inflight: number }
  /** A fetch's data arena, back from the consumer: the worker packs a later fetch into it. */
  | { readonly type: 'recycle'; readonly buffer: ArrayBuffer }
  | { readonly type: 'close' };

/**
 * The rows of one fetch, packed by the worker into a few typed arrays whose
 * buffers are transferred (moved, not copied) to the main thread.
 */
export interface PackedRows extends Omit<FetchedRows, 'release'> {
  /** Latency of each row request in milliseconds (retries included), for the histogram. */
  readonly latencies: Float32Array;
  /** The host that answered each row request, as an index into `hosts` (`address:port`). */
  readonly hostOf: Uint16Array;
  readonly hosts: readonly string[];
}

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'rows'; readonly seq: number; readonly rows: PackedRows }
  | { readonly type: 'error'; readonly seq: number; readonly error: WireError }
  | { readonly type: 'init-error'; readonly error: WireError }
  | { readonly type: 'closed' };
