import type {
  FetchOptions as ContractFetchOptions,
  EngineStats,
  FetchedRows,
} from '@cassdl/schema';

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
  /**
   * Limits taken at run time from the reader's pipeline controller: at most
   * `limits.inflight` row requests on the wire from now on (requests already
   * sent finish). The `inflight` given at open stays the ceiling.
   */
  setLimits(limits: EngineLimits): void;
  /** Counters since open; cheap enough to call every few milliseconds. */
  stats(): EngineStats;
  /** Cancels outstanding fetches (they reject) and releases every socket and thread. */
  close(): Promise<void>;
}

export type EngineKind = 'native' | 'driver';

/** What the pipeline controller sets on an engine while it runs. */
export interface EngineLimits {
  readonly inflight: number;
  /** Batch arenas to keep mapped (the native ring: the window, one with the consumer, one spare); others ignore it. */
  readonly batchSlots?: number;
}

// Rows and counters of a fetch: the engine contract, defined once in @cassdl/schema.
export type { EngineStats, FetchedRows, HostLatency } from '@cassdl/schema';

/** The contract's fetch options, plus what only the reader's multi-table router reads. */
export interface FetchOptions extends ContractFetchOptions {
  /**
   * The planned batch's source index per key (a weighted mix): matters only
   * to the reader's multi-table router; an engine over one table ignores it.
   */
  readonly sources?: Uint16Array | null | undefined;
}
