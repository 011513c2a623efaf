import type { RawLabels } from '../raw-batch.js';

/** How `fetch` hands the rows over. */
export interface FetchOptions {
  /**
   * true: the caller gives the rows back with `rows.release()` when done, so
   * an engine with reusable batch arenas (native) lends one instead of
   * allocating (until `release()` the arena is the caller's; after it, the
   * arrays belong to a later fetch). Engines without arenas ignore it.
   */
  readonly leased?: boolean;
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
