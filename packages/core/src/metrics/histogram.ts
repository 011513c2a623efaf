/**
 * A fixed-size log-bucket latency histogram (HDR-like): 16 sub-buckets per
 * power of two from 1 µs to about 1,000 s, so any percentile is within about
 * 4.4% of the true value, memory is constant (a 480-entry array) and
 * recording is a few arithmetic operations.
 */
export class LatencyHistogram {
  static readonly SUB_BUCKETS = 16;
  static readonly OCTAVES = 30;
  readonly counts = new Float64Array(LatencyHistogram.SUB_BUCKETS * LatencyHistogram.OCTAVES);
  #total = 0;
  #sumMs = 0;
  #max = 0;

  get count(): number {
    return this.#total;
  }

  /** The recorded values summed (exact): with `count`, the mean since an earlier look. */
  get totalMs(): number {
    return this.#sumMs;
  }

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = Math.max(1, ms * 1000);
    this.counts[bucketOf(us)] = (this.counts[bucketOf(us)] as number) + 1;
    this.#total++;
    this.#sumMs += ms;
    if (ms > this.#max) this.#max = ms;
  }

  /** Latency in milliseconds under which `q` (0..1) of recorded values fall; 0 when empty. */
  quantile(q: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b] as number;
      if (seen >= rank) return Math.min(this.#max, upperBoundUs(b) / 1000);
    }
    return this.#max;
  }

  summary(): { p50: number; p90: number; p99: number; max: number } {
    return {
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      max: this.#max,
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.#total = 0;
    this.#sumMs = 0;
    this.#max = 0;
  }
}

function bucketOf(us: number): number {
  const octave = Math.min(LatencyHistogram.OCTAVES - 1, Math.floor(Math.log2(us)));
  const base = 2 ** octave;
  const sub = Math.min(
    LatencyHistogram.SUB_BUCKETS - 1,
    Math.floor(((us - base) / base) * LatencyHistogram.SUB_BUCKETS),
  );
  return octave * LatencyHistogram.SUB_BUCKETS + sub;
}

function upperBoundUs(bucket: number): number {
  const octave = Math.floor(bucket / LatencyHistogram.SUB_BUCKETS);
  const sub = bucket % LatencyHistogram.SUB_BUCKETS;
  return 2 ** octave * (1 + (sub + 1) / LatencyHistogram.SUB_BUCKETS);
}
