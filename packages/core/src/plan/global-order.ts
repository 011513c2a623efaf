import { epochPermutation } from './permutation.js';
import { SeededRandom } from './prng.js';

/**
 * One epoch's samples in delivery order, before any sharding: position `p`
 * is sample `index[p]` of source `source[p]` (`source` is null when there is
 * one source). It depends on `(seed, epoch)`, the source sizes and their
 * counts only, never on the number of shards: that is what lets a job
 * checkpointed on 8 shards continue the same epoch on 3.
 */
export interface GlobalOrder {
  readonly length: number;
  readonly source: Uint16Array | null;
  readonly index: Uint32Array;
}

export interface GlobalOrderInput {
  /** Ids in each source. */
  readonly sizes: readonly number[];
  /** Samples each source gives this epoch (`sourceCounts`). */
  readonly counts: readonly number[];
  readonly seed: number;
  readonly epoch: number;
  readonly shuffle: boolean;
}

/**
 * - One source taken once: `epochPermutation` (the order cassdl always had).
 * - Otherwise, with `shuffle`: from one `SeededRandom(seed, epoch)` stream,
 *   each source in turn draws its count (whole copies, then a seeded choice
 *   of distinct ids for the remainder), then the whole list is shuffled with
 *   Fisher-Yates, so any window of the epoch holds the sources in their
 *   proportions up to hypergeometric noise.
 * - Without `shuffle`: each source takes its ids in order from a start that
 *   moves on every epoch (a down-sampled source is covered over epochs), and
 *   the sources are interleaved evenly (the source whose next sample is most
 *   overdue goes next), so every batch is as close to the proportions as
 *   whole rows allow.
 */
export function globalOrder(input: GlobalOrderInput): GlobalOrder {
  const { sizes, counts, seed, epoch, shuffle } = input;
  if (sizes.length === 1 && counts[0] === sizes[0]) {
    const n = sizes[0] as number;
    return { length: n, source: null, index: epochPermutation(n, seed, epoch, shuffle) };
  }
  const length = counts.reduce((a, b) => a + b, 0);
  const source = new Uint16Array(length);
  const index = new Uint32Array(length);
  if (shuffle) drawShuffled(input, source, index);
  else interleaveInOrder(input, source, index);
  return { length, source, index };
}

function drawShuffled(input: GlobalOrderInput, source: Uint16Array, index: Uint32Array): void {
  const random = new SeededRandom(input.seed, input.epoch);
  let p = 0;
  input.counts.forEach((count, s) => {
    const size = input.sizes[s] as number;
    for (let copy = 0; copy + size <= count; copy += size) {
      for (let i = 0; i < size; i++, p++) {
        source[p] = s;
        index[p] = i;
      }
    }
    const rest = count % size;
    if (rest > 0) {
      for (const i of chooseDistinct(size, rest, random)) {
        source[p] = s;
        index[p++] = i;
      }
    }
  });
  for (let i = source.length - 1; i > 0; i--) {
    const j = random.nextBelow(i + 1);
    const ts = source[i] as number;
    source[i] = source[j] as number;
    source[j] = ts;
    const ti = index[i] as number;
    index[i] = index[j] as number;
    index[j] = ti;
  }
}

/** `k` distinct values of `[0, n)`: the first `k` steps of a Fisher-Yates shuffle. */
function chooseDistinct(n: number, k: number, random: SeededRandom): Uint32Array {
  const pool = new Uint32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + random.nextBelow(n - i);
    const t = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = t;
  }
  return pool.subarray(0, k);
}

function interleaveInOrder(input: GlobalOrderInput, source: Uint16Array, index: Uint32Array): void {
  const { sizes, counts, epoch } = input;
  const taken = counts.map(() => 0);
  const starts = counts.map((c, s) => (epoch * c) % (sizes[s] as number));
  for (let p = 0; p < source.length; p++) {
    // Next sample of source s is due at (taken + 0.5) / count of the epoch; the earliest goes.
    let best = -1;
    let bestDue = Infinity;
    counts.forEach((count, s) => {
      const t = taken[s] as number;
      if (t >= count) return;
      const due = (t + 0.5) / count;
      if (due < bestDue) {
        bestDue = due;
        best = s;
      }
    });
    const t = taken[best] as number;
    source[p] = best;
    index[p] = ((starts[best] as number) + t) % (sizes[best] as number);
    taken[best] = t + 1;
  }
}
