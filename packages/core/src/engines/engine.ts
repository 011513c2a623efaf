import type { RawLabels } from '@cassdl/schema';

/**
 * A data plane: reads rows by id over a `DataPlanePlan`. Two implementations
 * (`native` from @cassdl/native-io, `driver` on cassandra-driver in worker
 * threads) return byte-identical results for the same keys.
 *
 * The reader owns ordering, prefetch depth, padding and epochs; an engine only
 * turns key lists into filled arenas, keeping at most `inflight` row requests
 * on the wire across every outstanding `fetch`.
 */
export interface Engine {
  readonly kind: EngineKind;
  /**
   * Reads the rows whose 16-byte ids are packed in `keys` (`keys.length / 16`
   * of them). Rows come back in key order. Many calls may be outstanding at
   * once. Rejects with a typed error naming the id when a row cannot be read
   * after the retry budget, or when it is missing and `onMissing` is `'error'`.
   */
  fetch(keys: Uint8Array, options?: FetchOptions): Promise<FetchedRows>;
  /** Counters since open; cheap enough to call per batch. */
  stats(): EngineStats;
  /** Cancels outstanding fetches (they reject) and releases every socket and thread. */
  close(): Promise<void>;
}

export type EngineKind = 'native' | 'driver';

export interface FetchOptions {
  /**
   * The caller gives the rows back with `rows.release()` when done, so an
   * engine with reusable batch arenas (native) may lend one instead of
   * allocating. Engines without arenas ignore it.
   */
  readonly leased?: boolean;
  /**
   * The planned batch's source index per key (a weighted mix): matters only
   * to the reader's multi-table router; an engine over one table ignores it.
   */
  readonly sources?: Uint16Array | null | undefined;
}

/** Rows of one `fetch`, laid out like a `RawBatch` minus the epoch bookkeeping. */
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
  /** Present on leased rows of an engine with arenas: gives the arena back (idempotent). */
  readonly release?: () => void;
}

export interface EngineStats {
  readonly requests: number;
  readonly retries: number;
  readonly failures: number;
  readonly rows: number;
  readonly bytes: number;
  /** Row requests on the wire now, and the most at any time since open. */
  readonly inflight: number;
  readonly peakInflight: number;
  readonly missing: number;
  /** Latency of single row requests in milliseconds. */
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
}
