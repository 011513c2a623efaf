import type { RawLabels } from '@cassdl/schema';

/** Options of the native data plane; @cassdl/core fills them from the reader options. */
export interface NativeDataPlaneOptions {
  /** TCP connections opened to each host (each multiplexes up to 32768 requests). */
  connectionsPerHost: number;
  /** Most row requests on the wire at once, across every outstanding `fetch`. */
  inflight: number;
  /** A missing row (or null data/label): reject naming the id, or leave it out and count it. */
  onMissing: 'error' | 'skip';
  /** Retry on another replica after overload, timeouts, unavailable or a lost connection. */
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Start with `inflight / 2^slowStart` requests in flight and double per window of answers (0: off). */
  slowStart: number;
  /** Called when a node answers UNPREPARED: returns the new prepared id. */
  reprepare: () => Promise<Uint8Array>;
  /**
   * Batch arenas that keep their memory (default 6): leased fetches
   * outstanding plus those not yet released. More leased batches than
   * this still work, in overflow arenas freed as each is released.
   */
  batchSlots?: number;
  /**
   * Development check (default off): each leased batch gets buffers of its
   * own, detached when it is released, so a view kept past `release()`
   * reads as empty (and typed-array methods throw) instead of showing
   * another batch's rows. Costs a little per batch.
   */
  checkRecycled?: boolean;
}

/** How `fetch` hands the rows over. */
export interface FetchOptions {
  /**
   * true: the rows live in one of the plane's reused batch arenas until
   * `rows.release()` (then the arena is refilled by a later fetch); false
   * (default): they are the caller's for good and the garbage collector
   * frees them.
   */
  leased?: boolean;
}

/** Rows of one `fetch`, laid out like a `RawBatch` minus the epoch bookkeeping (same shape as core's). */
export interface FetchedRows {
  /** Rows returned; less than requested only when `onMissing` is `'skip'`. */
  readonly size: number;
  /** `size * 16` bytes, the ids of the rows returned, in key order. */
  readonly ids: Uint8Array;
  readonly data: Uint8Array;
  readonly dataOffsets: Uint32Array;
  readonly labels: RawLabels;
  /** Ids (16 bytes each) skipped because the row or its data was missing. */
  readonly missing: Uint8Array;
  /**
   * Leased rows only: gives their arena back to the plane. Every array
   * above then belongs to the next fetch that fills it; calling it again
   * does nothing.
   */
  readonly release?: () => void;
}

/** Counters since open (same shape as core's, plus `peakInflight`). */
export interface EngineStats {
  readonly requests: number;
  readonly retries: number;
  readonly failures: number;
  readonly rows: number;
  readonly bytes: number;
  readonly inflight: number;
  /** Most requests that were on the wire at once. */
  readonly peakInflight: number;
  readonly missing: number;
  /** Row bytes read from the socket straight into their batch arena (large rows of one size). */
  readonly placedBytes?: number;
  /** The batch arenas: slots made, ring size, lent now, overflow lendings, bytes mapped. */
  readonly batchRing?: {
    readonly slots: number;
    readonly ringSize: number;
    readonly lent: number;
    readonly overflows: number;
    readonly mappedBytes: number;
  };
  /** Latency of single row requests in milliseconds. */
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
}
