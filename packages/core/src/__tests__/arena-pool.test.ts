import { describe, expect, it } from 'vitest';
import { ArenaPool } from '../engines/driver/arena-pool.js';

describe('ArenaPool (driver-engine worker arenas)', () => {
  it('packs the next fetch into an arena given back, not a new one', () => {
    const pool = new ArenaPool();
    const first = pool.take(1000);
    const buffer = first.buffer as ArrayBuffer;
    pool.give(buffer);
    const again = pool.take(1000);
    expect(again.buffer).toBe(buffer);
    expect(again.length).toBe(1000);
    expect(pool.spare).toBe(0);
  });

  it('reuses a larger arena for a smaller fetch, but not one over twice its size', () => {
    const pool = new ArenaPool();
    const big = pool.take(1_000_000).buffer as ArrayBuffer;
    pool.give(big);
    expect(pool.take(100).buffer).not.toBe(big); // would pin 1 MB for 100 bytes
    const reused = pool.take(600_000);
    expect(reused.buffer).toBe(big);
    expect(reused.length).toBe(600_000);
  });

  it('picks the smallest arena that fits', () => {
    const pool = new ArenaPool();
    const large = pool.take(2000).buffer as ArrayBuffer;
    const small = pool.take(1200).buffer as ArrayBuffer;
    pool.give(large);
    pool.give(small);
    expect(pool.take(1100).buffer).toBe(small);
    expect(pool.take(1100).buffer).toBe(large);
  });

  it('keeps at most maxSpare arenas, dropping the oldest', () => {
    const pool = new ArenaPool(2);
    const buffers = [1, 2, 3].map(() => pool.take(10).buffer as ArrayBuffer);
    for (const b of buffers) pool.give(b);
    expect(pool.spare).toBe(2);
    const got = [pool.take(10).buffer, pool.take(10).buffer];
    expect(got).not.toContain(buffers[0]);
    expect(got).toEqual(expect.arrayContaining([buffers[1], buffers[2]]));
  });

  it('keeps at most maxSpareBytes waiting, dropping the oldest', () => {
    const pool = new ArenaPool(10, 2500);
    const buffers = [1, 2, 3].map(() => pool.take(1000).buffer as ArrayBuffer);
    for (const b of buffers) pool.give(b);
    expect(pool.spare).toBe(2);
    pool.give(pool.take(3000).buffer as ArrayBuffer); // larger than the whole allowance: not kept
    expect(pool.spare).toBe(2);
  });

  it('ignores detached (empty) buffers', () => {
    const pool = new ArenaPool();
    pool.give(new ArrayBuffer(0));
    expect(pool.spare).toBe(0);
  });
});
