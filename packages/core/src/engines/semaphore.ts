/**
 * A FIFO counting semaphore: bounds requests in flight. FIFO matters: rows of
 * an earlier batch acquire slots before rows of a later one, so batches
 * complete roughly in submission order.
 */
export class Semaphore {
  #free: number;
  #permits: number;
  readonly #waiting: (() => void)[] = [];
  #head = 0;

  constructor(permits: number) {
    this.#free = permits;
    this.#permits = permits;
  }

  /**
   * Changes the number of permits at run time. Growing wakes waiters at once;
   * shrinking takes effect as holders release (none is revoked), so `#free`
   * may be negative meanwhile.
   */
  resize(permits: number): void {
    this.#free += permits - this.#permits;
    this.#permits = permits;
    while (this.#free > 0 && this.#head < this.#waiting.length) {
      this.#free--;
      this.#wakeNext();
    }
  }

  acquire(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    if (this.#free >= 0 && this.#head < this.#waiting.length) {
      this.#wakeNext();
      return;
    }
    this.#free++;
  }

  #wakeNext(): void {
    const next = this.#waiting[this.#head++] as () => void;
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
    next();
  }
}
