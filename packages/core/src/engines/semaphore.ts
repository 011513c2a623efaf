/**
 * A FIFO counting semaphore: bounds requests in flight. FIFO matters: rows of
 * an earlier batch acquire slots before rows of a later one, so batches
 * complete roughly in submission order.
 */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  #head = 0;

  constructor(permits: number) {
    this.#free = permits;
  }

  acquire(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    if (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head++] as () => void;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting.splice(0, this.#head);
        this.#head = 0;
      }
      next();
      return;
    }
    this.#free++;
  }
}
