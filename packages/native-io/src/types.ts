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

// The rows and counters of a fetch are the engine contract both engines
// implement, defined once in @cassdl/schema.
export type { EngineStats, FetchedRows, FetchOptions } from '@cassdl/schema';
