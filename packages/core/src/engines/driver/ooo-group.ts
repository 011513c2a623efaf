/** One row of a grouped fetch as it arrived: its key, what was read (null: skipped as missing), where and how fast. */
export interface Arrival<Row> {
  readonly key: Uint8Array;
  readonly row: Row | null;
  readonly host: string;
  readonly ms: number;
}

/** A grouped fetch, full: its rows in arrival order, ready to pack. */
export interface FilledFetch<Row> {
  readonly seq: number;
  /** The keys of `rows`, 16 bytes each, in arrival order. */
  readonly keys: Uint8Array;
  readonly rows: readonly (Row | null)[];
  readonly latencies: Float32Array;
  readonly hostOf: Uint16Array;
  readonly hosts: string[];
}

interface OpenFetch<Row> {
  readonly seq: number;
  readonly size: number;
  readonly keys: Uint8Array;
  readonly rows: (Row | null)[];
  readonly latencies: Float32Array;
  readonly hostOf: Uint16Array;
  readonly hosts: string[];
}

/**
 * The fetches of one `oooGroup` (FetchOptions): rows of every key of the
 * group fill the oldest open fetch in the order they arrive, so a fetch
 * completes as soon as enough rows of the group have arrived, whichever
 * keys they are, and fetches complete in submission order. Pure: the worker
 * reads the rows and feeds arrivals in.
 */
export class OooGroup<Row> {
  readonly #open: OpenFetch<Row>[] = [];
  /** Row reads of the group not finished yet: the group can be dropped when 0 and nothing is open. */
  #reading = 0;

  /** A new fetch of `size` keys joins the group (its keys are read by the caller, which reports each `arrive`). */
  add(seq: number, size: number): FilledFetch<Row>[] {
    this.#open.push({
      seq,
      size,
      keys: new Uint8Array(size * 16),
      rows: [],
      latencies: new Float32Array(size),
      hostOf: new Uint16Array(size),
      hosts: [],
    });
    this.#reading += size;
    // An empty fetch is full at once, but only after those before it.
    return this.#takeFull();
  }

  /** A row of the group arrived: it goes into the oldest open fetch. Returns the fetches now full, in submission order. */
  arrive(arrival: Arrival<Row>): FilledFetch<Row>[] {
    this.#reading--;
    const target = this.#open.find((f) => f.rows.length < f.size);
    // None: the rest of a fetch already rejected (see `fail`); the row is dropped.
    if (target === undefined) return [];
    const i = target.rows.length;
    target.keys.set(arrival.key, i * 16);
    target.rows.push(arrival.row);
    target.latencies[i] = arrival.ms;
    let h = target.hosts.indexOf(arrival.host);
    if (h < 0) h = target.hosts.push(arrival.host) - 1;
    target.hostOf[i] = h;
    return this.#takeFull();
  }

  /**
   * A row of the group failed for good: the fetch being filled (the oldest
   * not yet full) fails. Returns its seq, or null when every open fetch is
   * already full (they are taken by then, so only rows of a failed fetch remain).
   */
  fail(): number | null {
    this.#reading--;
    const at = this.#open.findIndex((f) => f.rows.length < f.size);
    if (at < 0) return null;
    const [failed] = this.#open.splice(at, 1) as [OpenFetch<Row>];
    return failed.seq;
  }

  /** Nothing open and nothing being read: the group holds no state. */
  get idle(): boolean {
    return this.#open.length === 0 && this.#reading === 0;
  }

  #takeFull(): FilledFetch<Row>[] {
    const full: FilledFetch<Row>[] = [];
    while (
      this.#open.length > 0 &&
      (this.#open[0] as OpenFetch<Row>).rows.length === this.#open[0]?.size
    )
      full.push(this.#open.shift() as OpenFetch<Row>);
    return full;
  }
}
