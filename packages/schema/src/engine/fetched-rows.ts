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
  /**
   * Row-level out-of-order delivery (cassandra-dali-plugin's `ooo`): fetches
   * given the same group (any integer the caller picks, e.g. one per epoch
   * run) share their rows. Each still resolves with exactly `keys.length`
   * rows (returned plus `missing`), but they are the next rows to ARRIVE
   * among all keys of the group not yet handed to an earlier fetch, so one
   * slow row holds no fetch back while later keys are outstanding. Fetches
   * of a group resolve in submission order; every key of the group is in
   * exactly one fetch's output (its `ids` or its `missing`). A row that fails
   * for good rejects the fetch being filled when it fails. Rows of a grouped
   * fetch are in arrival order, not key order. Absent: rows of this fetch's
   * own keys, in key order. Both engines honour it: the driver engine sends a
   * group's fetches to one worker thread, which fills them as rows arrive;
   * the native plane fills them on its I/O thread.
   */
  readonly oooGroup?: number;
}

/** Rows of one `fetch`, laid out like a `RawBatch` minus the epoch bookkeeping. */
export interface FetchedRows {
  /** Rows returned; less than requested only when `onMissing` is `'skip'`. */
  readonly size: number;
  /** `size * 16` bytes, the ids of the rows returned, in key order (arrival order with `oooGroup`). */
  readonly ids: Uint8Array;
  readonly data: Uint8Array;
  readonly dataOffsets: Uint32Array;
  readonly labels: RawLabels;
  /** Ids (16 bytes each) skipped because the row or its data was missing. */
  readonly missing: Uint8Array;
  /** Present on leased rows of an engine with arenas: gives the arena back (idempotent). */
  readonly release?: () => void;
}
