/**
 * Which batches of one epoch the consumer has received. With in-order
 * delivery this is just a prefix; with `ooo` some later batches arrive before
 * earlier ones, so the cursor keeps the prefix length plus the set of batches
 * delivered ahead of it. Both go into the saved state, which is how a resumed
 * reader neither repeats nor skips a batch.
 */
export class EpochCursor {
  readonly epoch: number;
  readonly batchCount: number;
  #prefix: number;
  readonly #ahead = new Set<number>();

  constructor(epoch: number, batchCount: number, prefix = 0, ahead: Iterable<number> = []) {
    this.epoch = epoch;
    this.batchCount = batchCount;
    this.#prefix = prefix;
    for (const index of ahead) if (index >= prefix) this.#ahead.add(index);
    this.#advance();
  }

  /** Batches `[0, prefix)` have all been delivered. */
  get prefix(): number {
    return this.#prefix;
  }

  /** Batches at or past `prefix` that were delivered early, ascending. */
  get ahead(): number[] {
    return [...this.#ahead].sort((a, b) => a - b);
  }

  get delivered(): number {
    return this.#prefix + this.#ahead.size;
  }

  get done(): boolean {
    return this.#prefix >= this.batchCount;
  }

  isDelivered(index: number): boolean {
    return index < this.#prefix || this.#ahead.has(index);
  }

  markDelivered(index: number): void {
    if (this.isDelivered(index))
      throw new RangeError(`batch ${index} of epoch ${this.epoch} delivered twice`);
    this.#ahead.add(index);
    this.#advance();
  }

  /** Batch indices not yet delivered, in plan order. */
  *pending(): Generator<number> {
    for (let i = this.#prefix; i < this.batchCount; i++) if (!this.#ahead.has(i)) yield i;
  }

  #advance(): void {
    while (this.#ahead.delete(this.#prefix)) this.#prefix++;
  }
}
