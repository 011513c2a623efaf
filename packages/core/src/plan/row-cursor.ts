import type { Range } from './ranges.js';

/**
 * Which rows of one shard's epoch the consumer has received, row by row:
 * the cursor of row-level `ooo`, where a delivered batch holds whichever
 * rows of the planned batches arrived first. A prefix `[0, prefix)` plus
 * the rows delivered past it (the open window), which `state()` writes as
 * ranges, so a resumed reader neither repeats nor skips a row.
 */
export class RowCursor {
  readonly epoch: number;
  /** Rows of the epoch, padding included. */
  readonly rows: number;
  #prefix = 0;
  #delivered = 0;
  /** 1 where a row at or past `prefix` was delivered. */
  readonly #done: Uint8Array;

  constructor(epoch: number, rows: number, delivered = 0, window: readonly Range[] = []) {
    this.epoch = epoch;
    this.rows = rows;
    this.#done = new Uint8Array(rows);
    this.#done.fill(1, 0, Math.min(delivered, rows));
    for (const [s, e] of window) this.#done.fill(1, Math.min(s, rows), Math.min(e, rows));
    for (const d of this.#done) this.#delivered += d;
    this.#advance();
  }

  /** Rows `[0, prefix)` have all been delivered. */
  get prefix(): number {
    return this.#prefix;
  }

  /** Rows delivered in all. */
  get delivered(): number {
    return this.#delivered;
  }

  get done(): boolean {
    return this.#prefix >= this.rows;
  }

  /** Rows past `prefix` already delivered, as ascending disjoint ranges. */
  window(): Range[] {
    const out: Range[] = [];
    let start = -1;
    for (let r = this.#prefix; r <= this.rows; r++) {
      const done = r < this.rows && this.#done[r] === 1;
      if (done && start < 0) start = r;
      else if (!done && start >= 0) {
        out.push([start, r]);
        start = -1;
      }
    }
    return out;
  }

  markDelivered(row: number): void {
    if (this.#done[row] !== 0)
      throw new RangeError(`row ${row} of epoch ${this.epoch} delivered twice or out of range`);
    this.#done[row] = 1;
    this.#delivered++;
    this.#advance();
  }

  /** Rows not yet delivered, ascending (plan order). */
  *pending(): Generator<number> {
    for (let r = this.#prefix; r < this.rows; r++) if (this.#done[r] === 0) yield r;
  }

  #advance(): void {
    while (this.#prefix < this.rows && this.#done[this.#prefix] === 1) this.#prefix++;
  }
}
