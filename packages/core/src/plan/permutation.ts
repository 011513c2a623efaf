import { SeededRandom } from './prng.js';

/**
 * The order of all `n` samples in one epoch: a Fisher-Yates (Durstenfeld)
 * shuffle driven by `SeededRandom(seed, epoch)` when `shuffle` is true, the
 * identity otherwise. Every shard computes the same permutation and takes its
 * own slice, so shards never need to talk to each other.
 */
export function epochPermutation(
  n: number,
  seed: number,
  epoch: number,
  shuffle: boolean,
): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!shuffle || n < 2) return order;
  const random = new SeededRandom(seed, epoch);
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextBelow(i + 1);
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}
