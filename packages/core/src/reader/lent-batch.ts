import type { LentBatch, RawLabels } from '@cassdl/schema';
import type { FetchedRows } from '../engines/engine.js';
import { CassdlStateError } from '../errors.js';

const LENT = 0;
const RETAINED = 1;
const RECYCLED = 2;

/**
 * A batch of one epoch, lent to the consumer (`LentBatch`). Its arrays are
 * the engine's, in a batch arena the reader recycles when the consumer asks
 * for the next batch, unless `retain()` was called; then at `release()`.
 * Reading `ids`, `data`, `dataOffsets` or `labels` after that throws, so a
 * batch kept by mistake fails loudly instead of showing another batch's
 * rows. The four are own enumerable properties, so `{ ...batch }` works.
 */
export class ReaderBatch implements LentBatch {
  declare readonly ids: Uint8Array;
  declare readonly data: Uint8Array;
  declare readonly dataOffsets: Uint32Array;
  declare readonly labels: RawLabels;
  /** Rows per source of a weighted mix (absent without `sources`). */
  declare readonly sources?: readonly number[];
  #rows: FetchedRows;
  #state = LENT;
  #onRecycled: (() => void) | null = null;

  constructor(
    readonly epoch: number,
    readonly index: number,
    readonly size: number,
    readonly padding: number,
    rows: FetchedRows,
    sources?: readonly number[],
  ) {
    this.#rows = rows;
    Object.defineProperties(this, ARRAYS);
    if (sources !== undefined)
      Object.defineProperty(this, 'sources', { value: sources, enumerable: true });
  }

  retain(): this {
    this.rows();
    this.#state = RETAINED;
    return this;
  }

  release(): void {
    if (this.#state === RECYCLED) return;
    this.#state = RECYCLED;
    this.#rows.release?.();
    this.#onRecycled?.();
    this.#onRecycled = null;
  }

  /** The reader's side: `fn` runs once when the batch's memory goes back (recycled, or released after `retain()`). */
  whenRecycled(fn: () => void): void {
    if (this.#state === RECYCLED) fn();
    else this.#onRecycled = fn;
  }

  /** The reader's side: the consumer asked for the next batch (or stopped iterating). */
  recycleUnlessRetained(): void {
    if (this.#state === LENT) this.release();
  }

  /** The engine's rows, while the batch is still lent. */
  rows(): FetchedRows {
    if (this.#state === RECYCLED) {
      throw new CassdlStateError(
        `batch ${this.index} of epoch ${this.epoch} was recycled: a batch is valid until the next one is requested; call batch.retain() to keep it and batch.release() when done`,
      );
    }
    return this.#rows;
  }
}

function live(self: unknown): FetchedRows {
  return (self as ReaderBatch).rows();
}

const ARRAYS: PropertyDescriptorMap = {
  ids: {
    enumerable: true,
    get: function (this: unknown) {
      return live(this).ids;
    },
  },
  data: {
    enumerable: true,
    get: function (this: unknown) {
      return live(this).data;
    },
  },
  dataOffsets: {
    enumerable: true,
    get: function (this: unknown) {
      return live(this).dataOffsets;
    },
  },
  labels: {
    enumerable: true,
    get: function (this: unknown) {
      return live(this).labels;
    },
  },
};
