/**
 * Keys of a row-level `ooo` run that were submitted and have not come back,
 * by when their fetch was submitted: how many are older than a moment is
 * how many are stuck (on a stalled replica, say). Fetches hold ascending
 * rows, so a row's fetch is found by its first row.
 */
export class StuckKeys {
  readonly #firstRow: number[] = [];
  readonly #at: number[] = [];
  readonly #left: number[] = [];
  /** Fetches before it have every key back. */
  #head = 0;

  /** A fetch of `count` rows from `firstRow` on (rows ascending, above every earlier fetch's) went out at `at`. */
  submitted(firstRow: number, count: number, at = performance.now()): void {
    this.#firstRow.push(firstRow);
    this.#at.push(at);
    this.#left.push(count);
  }

  /** The key of `row` came back (returned or missing). */
  returned(row: number): void {
    let lo = this.#head;
    let hi = this.#firstRow.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#firstRow[mid] as number) <= row) lo = mid;
      else hi = mid - 1;
    }
    this.#left[lo] = (this.#left[lo] as number) - 1;
    while (this.#head < this.#left.length && this.#left[this.#head] === 0) this.#head++;
  }

  /** Keys not back whose fetch went out before `time`. */
  olderThan(time: number): number {
    let keys = 0;
    for (let i = this.#head; i < this.#at.length && (this.#at[i] as number) < time; i++)
      keys += this.#left[i] as number;
    return keys;
  }
}
