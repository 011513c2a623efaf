/** A stream of uniform numbers in [0, 1). */
export type Uniform = () => number;

/**
 * Independent random streams, one per purpose, so that adding a flip does
 * not change which crop a sample gets.
 */
export const STREAM = { crop: 1, flip: 2 } as const;

/**
 * A deterministic PRNG for one sample: the same (seed, epoch, batch, sample,
 * stream) gives the same numbers on every machine and run, and the image and
 * its mask share them because they share the key. The key is hashed with
 * murmur3's finalizer, then drives a mulberry32 generator: small, fast, and
 * good enough for augmentation (not for cryptography).
 */
export function sampleRandom(
  seed: number,
  epoch: number,
  batchIndex: number,
  sampleIndex: number,
  stream: number,
): Uniform {
  let state = mix(seed >>> 0);
  state = mix(state ^ (epoch | 0));
  state = mix(state ^ (batchIndex | 0));
  state = mix(state ^ (sampleIndex | 0));
  state = mix(state ^ stream);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(value: number): number {
  let h = (value + 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
