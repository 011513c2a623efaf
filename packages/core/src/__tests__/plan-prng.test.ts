import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../plan/prng.js';

describe('SeededRandom', () => {
  it('is pinned to golden outputs so shuffles stay identical across machines and versions', () => {
    const random = new SeededRandom(0, 0);
    const first = Array.from({ length: 4 }, () => random.nextUint32());
    expect(first).toEqual(GOLDEN_SEED0_EPOCH0);
  });

  it('matches the xoshiro128** reference implementation from state {1, 2, 3, 4}', () => {
    const random = SeededRandom.fromState([1, 2, 3, 4]);
    // First outputs of the reference C code (prng.di.unimi.it/xoshiro128starstar.c).
    expect([random.nextUint32(), random.nextUint32(), random.nextUint32()]).toEqual([
      11520, 0, 5927040,
    ]);
  });

  it('gives the same stream for the same (seed, epoch) and different streams otherwise', () => {
    const take = (seed: number, epoch: number) => {
      const r = new SeededRandom(seed, epoch);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(take(42, 3)).toEqual(take(42, 3));
    expect(take(42, 3)).not.toEqual(take(42, 4));
    expect(take(42, 3)).not.toEqual(take(43, 3));
    expect(take(1, 0)).not.toEqual(take(0, 1));
  });

  it('draws bounded integers uniformly (chi-square over 10 buckets)', () => {
    const random = new SeededRandom(7, 0);
    const counts = new Array<number>(10).fill(0);
    const draws = 100_000;
    for (let i = 0; i < draws; i++) {
      const v = random.nextBelow(10);
      counts[v] = (counts[v] as number) + 1;
    }
    const expected = draws / 10;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: p = 0.001 at 27.9.
    expect(chi2).toBeLessThan(27.9);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });
});

// Produced by this implementation once and frozen: a change here is a breaking change.
const GOLDEN_SEED0_EPOCH0 = [3181167552, 1283855328, 4130861716, 2050630702];
