/**
 * The random stream behind every shuffle. It is specified exactly, so the same
 * `(seed, epoch)` gives the same permutation on every machine, Node version
 * and engine (`Math.random` gives none of that):
 *
 * 1. Seeding: SplitMix64 (Steele, Lea, Flood 2014) starting at `seed` mod 2^64
 *    yields one word `a`; a second SplitMix64 starting at `a XOR epoch`
 *    yields two words, split into the four 32-bit words of the state
 *    (high half first).
 * 2. Stream: xoshiro128** 1.1 (Blackman, Vigna 2018), 32-bit outputs.
 * 3. Bounded integers: rejection sampling on the 32-bit output, so every value
 *    in `[0, bound)` is equally likely (no modulo bias).
 *
 * The golden values in `__tests__/plan-prng.test.ts` pin this down: changing
 * any step changes every shuffle, which breaks resume across versions.
 */
export class SeededRandom {
  readonly #s = new Uint32Array(4);

  constructor(seed: number, epoch: number) {
    const [, a] = splitMix64(BigInt.asUintN(64, BigInt(seed)));
    const [next, b] = splitMix64(a ^ BigInt.asUintN(64, BigInt(epoch)));
    const [, c] = splitMix64(next);
    this.#s[0] = Number(b >> 32n);
    this.#s[1] = Number(b & 0xffffffffn);
    this.#s[2] = Number(c >> 32n);
    this.#s[3] = Number(c & 0xffffffffn);
    // xoshiro must not start from the all-zero state; SplitMix64 makes it
    // (practically) impossible, this guards the impossible anyway.
    if (this.#s.every((w) => w === 0)) this.#s[0] = 1;
  }

  /** A generator at an explicit xoshiro128** state (for checking against the reference vectors). */
  static fromState(words: readonly [number, number, number, number]): SeededRandom {
    const random = new SeededRandom(0, 0);
    random.#s.set(words);
    return random;
  }

  /** Next 32-bit unsigned output of xoshiro128**. */
  nextUint32(): number {
    const s = this.#s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = (s[2] as number) ^ s0;
    s[3] = (s[3] as number) ^ s1;
    s[1] = s1 ^ (s[2] as number);
    s[0] = s0 ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** Uniform integer in `[0, bound)`, `1 <= bound <= 2^32`. */
  nextBelow(bound: number): number {
    const range = 0x1_0000_0000;
    const limit = range - (range % bound);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % bound;
    }
  }
}

const MASK64 = (1n << 64n) - 1n;

/** One SplitMix64 step: returns the advanced state and the output word. */
function splitMix64(state: bigint): [state: bigint, output: bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
