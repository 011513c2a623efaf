/**
 * The row reads of a driver-engine worker: at most `limit` running, the
 * rest started in the order they were queued (FIFO across fetches, so rows
 * of an earlier batch start before rows of a later one and batches
 * complete roughly in submission order).
 *
 * A waiting row is two array entries, not a suspended async function and
 * its promise. The controller's window keeps 1,000-1,500 rows waiting
 * behind the in-flight limit at batch 512; held as promises they cost the
 * worker about a fifth more CPU per row (2 KB rows, direct: 27,000 rows/s
 * with 1,024 waiting against 30,000-34,000 with none, at 1,024 in flight).
 */
export class ReadQueue<Owner> {
  readonly #read: (owner: Owner, index: number) => Promise<void>;
  #limit: number;
  #running = 0;
  readonly #owners: Owner[] = [];
  readonly #indices: number[] = [];
  #head = 0;

  /**
   * `read(owner, index)` reads row `index` of `owner` and settles when it is
   * done. A read's failure is the owner's to record: a rejection is a bug,
   * and is thrown again as an uncaught error (the worker's error event)
   * after its slot is freed, never swallowed.
   */
  constructor(limit: number, read: (owner: Owner, index: number) => Promise<void>) {
    this.#limit = limit;
    this.#read = read;
  }

  /** Queues rows `0 .. count - 1` of `owner`, behind every row queued before them. */
  push(owner: Owner, count: number): void {
    for (let index = 0; index < count; index++) {
      this.#owners.push(owner);
      this.#indices.push(index);
    }
    this.#pump();
  }

  /** Changes the limit at run time: a rise starts waiting rows at once, a fall takes effect as reads finish. */
  resize(limit: number): void {
    this.#limit = limit;
    this.#pump();
  }

  /** Rows queued and not started. */
  get waiting(): number {
    return this.#owners.length - this.#head;
  }

  /** Reads running now. */
  get running(): number {
    return this.#running;
  }

  #pump(): void {
    while (this.#running < this.#limit && this.#head < this.#owners.length) {
      const owner = this.#owners[this.#head] as Owner;
      const index = this.#indices[this.#head] as number;
      this.#head++;
      this.#running++;
      this.#read(owner, index).then(this.#finished, this.#broke);
    }
    // Drop the started prefix now and then, not on every start (a shift per row is quadratic).
    if (this.#head > 1024 && this.#head * 2 > this.#owners.length) {
      this.#owners.splice(0, this.#head);
      this.#indices.splice(0, this.#head);
      this.#head = 0;
    }
  }

  readonly #finished = (): void => {
    this.#running--;
    this.#pump();
  };

  readonly #broke = (error: unknown): void => {
    this.#finished();
    queueMicrotask(() => {
      throw error;
    });
  };
}
