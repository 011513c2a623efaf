import { describe, expect, it } from 'vitest';
import { remainingAfter, type ShardProgress } from '../plan/elastic.js';
import { EpochPlan, type PlanSource } from '../plan/epoch-plan.js';
import { SeededRandom } from '../plan/prng.js';
import { type Range, rangesLength } from '../plan/ranges.js';
import { fakeIds, fakeIndices } from './helpers/ids.js';

/** A random layout drawn from a seeded stream, so a failure names the case that reproduces it. */
interface Case {
  readonly n: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly padLastBatch: boolean;
  readonly sources?: readonly PlanSource[];
}

function plan(c: Case, numShards: number, shardId: number, remaining?: readonly Range[]) {
  return new EpochPlan({
    ...(c.sources !== undefined ? { sources: c.sources } : { ids: fakeIds(c.n) }),
    seed: c.seed,
    epoch: 3,
    shuffle: c.shuffle,
    shardId,
    numShards,
    batchSize: c.batchSize,
    padLastBatch: c.padLastBatch,
    remaining,
  });
}

/**
 * Runs one layout: every shard delivers the batches `pick` chooses (a prefix
 * plus, with `ooo`, some batches ahead of it), and reports its progress and
 * the global positions of the rows it delivered (padding excluded).
 */
function runLayout(
  c: Case,
  numShards: number,
  remaining: readonly Range[] | undefined,
  pick: (batchCount: number) => { prefix: number; ahead: number[] },
): { progress: ShardProgress[]; delivered: number[]; batchCounts: number[]; paddingRows: number } {
  const progress: ShardProgress[] = [];
  const delivered: number[] = [];
  const batchCounts: number[] = [];
  let paddingRows = 0;
  for (let k = 0; k < numShards; k++) {
    const p = plan(c, numShards, k, remaining);
    batchCounts.push(p.batchCount);
    const { prefix, ahead } = pick(p.batchCount);
    for (const b of [...range(prefix), ...ahead]) {
      const batch = p.batch(b);
      paddingRows += batch.padding;
      for (let r = 0; r < batch.size - batch.padding; r++)
        delivered.push(p.positions[b * c.batchSize + r] as number);
      // Keys agree with the positions: the plan's bytes are the samples it claims.
      if (c.sources === undefined) {
        const rows = fakeIndices(batch.keys).slice(0, batch.size - batch.padding);
        expect(rows).toEqual(
          rows.map((_, r) => p.global.index[p.positions[b * c.batchSize + r] as number]),
        );
      }
    }
    progress.push({
      shardId: k,
      delivered: prefix * c.batchSize,
      window: ahead.map((b): Range => [b * c.batchSize, (b + 1) * c.batchSize]),
    });
  }
  return { progress, delivered, batchCounts, paddingRows };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function randomCase(random: SeededRandom): Case {
  return {
    n: 1 + random.nextBelow(random.nextBelow(2) === 0 ? 60 : 3000),
    batchSize: 1 + random.nextBelow(random.nextBelow(2) === 0 ? 8 : 96),
    seed: random.nextUint32(),
    shuffle: random.nextBelow(4) !== 0,
    padLastBatch: true,
  };
}

/** A random cut: a prefix of the batches, and with some luck a few batches ahead of it (ooo). */
function randomCut(random: SeededRandom) {
  return (batchCount: number) => {
    const prefix = random.nextBelow(batchCount + 1);
    const ahead = range(batchCount).filter((b) => b > prefix && random.nextBelow(6) === 0);
    return { prefix, ahead };
  };
}

function expectEachOnce(positions: readonly number[], total: number, label: string): void {
  const seen = new Uint8Array(total);
  for (const p of positions) seen[p] = (seen[p] as number) + 1;
  const wrong = [...seen.keys()].filter((p) => seen[p] !== 1);
  expect(wrong.slice(0, 5), `${label}: positions not delivered exactly once`).toEqual([]);
  expect(positions.length, label).toBe(total);
}

describe('elastic resume (pure, 400 random layouts)', () => {
  it('N shards stopped at random cuts, resumed on M shards: every sample exactly once (N, M in 1..16)', () => {
    const random = new SeededRandom(2026, 18);
    for (let t = 0; t < 400; t++) {
      const c = randomCase(random);
      const n1 = 1 + random.nextBelow(Math.min(16, c.n));
      const m = 1 + random.nextBelow(16);
      const label = `case ${t}: ${JSON.stringify(c)} N=${n1} M=${m}`;
      const first = runLayout(c, n1, undefined, randomCut(random));
      const remaining = remainingAfter(plan(c, n1, 0).layout, first.progress);
      expect(rangesLength(remaining), label).toBe(c.n - first.delivered.length);
      const second = runLayout(c, m, remaining, (count) => ({ prefix: count, ahead: [] }));
      expectEachOnce([...first.delivered, ...second.delivered], c.n, label);
      // Shards stay in step: one batch count for every shard of a layout.
      expect(new Set(second.batchCounts).size, label).toBeLessThanOrEqual(1);
    }
  });

  it('chains resumes N -> M -> K and still delivers the epoch exactly once', () => {
    const random = new SeededRandom(7, 7);
    for (let t = 0; t < 150; t++) {
      const c = randomCase(random);
      const sizes = [
        1 + random.nextBelow(Math.min(16, c.n)),
        1 + random.nextBelow(16),
        1 + random.nextBelow(16),
      ];
      let remaining: readonly Range[] | undefined;
      const delivered: number[] = [];
      sizes.forEach((shards, i) => {
        const last = i === sizes.length - 1;
        const run = runLayout(
          c,
          shards,
          remaining,
          last ? (count) => ({ prefix: count, ahead: [] }) : randomCut(random),
        );
        delivered.push(...run.delivered);
        remaining = remainingAfter(plan(c, shards, 0, remaining).layout, run.progress);
      });
      expectEachOnce(delivered, c.n, `case ${t}: ${JSON.stringify(c)} layouts ${sizes.join('->')}`);
      expect(remaining).toEqual([]);
    }
  });

  it('a fresh epoch lays out exactly as before: contiguous DALI shards of the permutation', () => {
    const c: Case = { n: 103, batchSize: 8, seed: 5, shuffle: true, padLastBatch: true };
    const shards = [0, 1, 2].map((k) => plan(c, 3, k));
    expect(shards.map((p) => [p.slice.ranges, p.batchCount])).toEqual([
      [[[0, 34]], 5],
      [[[34, 68]], 5],
      [[[68, 103]], 5],
    ]);
  });

  it('gives a shard whose share of the rest is empty only padding, and keeps the batch count equal', () => {
    const c: Case = { n: 50, batchSize: 4, seed: 1, shuffle: true, padLastBatch: true };
    const remaining: Range[] = [[10, 12]];
    const shards = [0, 1, 2, 3].map((k) => plan(c, 4, k, remaining));
    expect(shards.map((p) => p.batchCount)).toEqual([1, 1, 1, 1]);
    expect(shards.map((p) => p.slice.length)).toEqual([0, 1, 0, 1]);
    const empty = shards[0]?.batch(0);
    expect(empty?.padding).toBe(4);
    // Padding repeats a sample of the rest of the epoch, declared as padding.
    expect(fakeIndices(empty?.keys ?? new Uint8Array())[0]).toBe(shards[0]?.global.index[11]);
  });

  it('ends the epoch when nothing is left: zero batches', () => {
    const c: Case = { n: 20, batchSize: 4, seed: 1, shuffle: true, padLastBatch: true };
    expect(plan(c, 3, 1, []).batchCount).toBe(0);
  });

  it('resumes weighted, repeated sources exactly once per global position', () => {
    const random = new SeededRandom(99, 1);
    for (let t = 0; t < 60; t++) {
      const sources: PlanSource[] = [
        { ids: fakeIds(1 + random.nextBelow(300)), weight: 0.7 },
        { ids: fakeIds(1 + random.nextBelow(300)), weight: 0.3 },
        { ids: fakeIds(1 + random.nextBelow(50)), repeat: 2 },
      ];
      const c: Case = { ...randomCase(random), sources };
      const total = plan(c, 1, 0).global.length;
      const n1 = 1 + random.nextBelow(Math.min(16, total));
      const m = 1 + random.nextBelow(16);
      const first = runLayout(c, n1, undefined, randomCut(random));
      const remaining = remainingAfter(plan(c, n1, 0).layout, first.progress);
      const second = runLayout(c, m, remaining, (count) => ({ prefix: count, ahead: [] }));
      expectEachOnce([...first.delivered, ...second.delivered], total, `mix case ${t}`);
    }
  });
});
