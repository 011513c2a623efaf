import { describe, expect, it } from 'vitest';
import { type Arrival, type FilledFetch, OooGroup } from '../engines/driver/ooo-group.js';

function key(n: number): Uint8Array {
  const k = new Uint8Array(16);
  k[15] = n;
  return k;
}

function arrival(n: number, row: string | null = `row${n}`): Arrival<string> {
  return { key: key(n), row, host: n % 2 === 0 ? 'a:9042' : 'b:9042', ms: n };
}

/** The key numbers of a filled fetch, in its order. */
function keysOf(f: FilledFetch<string>): number[] {
  return Array.from({ length: f.keys.length / 16 }, (_, i) => f.keys[i * 16 + 15] as number);
}

describe('OooGroup (the driver engine oooGroup assembler)', () => {
  it('fills the oldest open fetch with rows in arrival order, whichever fetch asked for them', () => {
    const group = new OooGroup<string>();
    expect(group.add(1, 2)).toEqual([]); // keys 0, 1
    expect(group.add(2, 2)).toEqual([]); // keys 2, 3
    // Key 0 is slow: rows of the second fetch's keys fill the first fetch.
    expect(group.arrive(arrival(3))).toEqual([]);
    const [first, ...none] = group.arrive(arrival(2));
    expect(none).toEqual([]);
    expect(first?.seq).toBe(1);
    expect(keysOf(first as FilledFetch<string>)).toEqual([3, 2]);
    expect(first?.rows).toEqual(['row3', 'row2']);
    expect(Array.from(first?.latencies ?? [])).toEqual([3, 2]);
    expect(first?.hosts).toEqual(['b:9042', 'a:9042']);
    expect(Array.from(first?.hostOf ?? [])).toEqual([0, 1]);
    expect(group.arrive(arrival(1))).toEqual([]);
    const [second] = group.arrive(arrival(0, null));
    expect(second?.seq).toBe(2);
    expect(keysOf(second as FilledFetch<string>)).toEqual([1, 0]);
    expect(second?.rows).toEqual(['row1', null]);
    expect(group.idle).toBe(true);
  });

  it('hands every key of the group to exactly one fetch, in submission order, whatever the arrival order', () => {
    const sizes = [3, 1, 4, 1, 5, 9, 2, 6];
    const total = sizes.reduce((a, b) => a + b, 0);
    const group = new OooGroup<string>();
    const filled: FilledFetch<string>[] = [];
    sizes.forEach((size, seq) => {
      filled.push(...group.add(seq, size));
    });
    // A fixed shuffle of the keys: arrival order differs from key order.
    const order = Array.from({ length: total }, (_, i) => (i * 17 + 5) % total);
    for (const n of order) filled.push(...group.arrive(arrival(n)));
    expect(filled.map((f) => f.seq)).toEqual(sizes.map((_, seq) => seq));
    expect(filled.map((f) => f.rows.length)).toEqual(sizes);
    expect(filled.flatMap(keysOf)).toEqual(order);
    expect(group.idle).toBe(true);
  });

  it('resolves an empty fetch in its turn, not before the fetches ahead of it', () => {
    const group = new OooGroup<string>();
    group.add(1, 1);
    expect(group.add(2, 0)).toEqual([]);
    expect(group.arrive(arrival(0)).map((f) => f.seq)).toEqual([1, 2]);
  });

  it('a row that fails for good fails the fetch being filled; the next fetch takes the next arrivals', () => {
    const group = new OooGroup<string>();
    group.add(1, 2);
    group.add(2, 2);
    expect(group.arrive(arrival(0))).toEqual([]);
    expect(group.fail()).toBe(1);
    expect(group.arrive(arrival(2))).toEqual([]);
    const [second] = group.arrive(arrival(3));
    expect(second?.seq).toBe(2);
    expect(keysOf(second as FilledFetch<string>)).toEqual([2, 3]);
    expect(group.idle).toBe(true);
  });

  it('rows left over from a failed fetch fill no fetch (each fetch still gets exactly its size)', () => {
    const group = new OooGroup<string>();
    group.add(1, 2);
    group.add(2, 1);
    expect(group.fail()).toBe(1);
    expect(group.arrive(arrival(1)).map((f) => f.rows)).toEqual([['row1']]);
    expect(group.arrive(arrival(2))).toEqual([]);
    expect(group.idle).toBe(true);
  });
});
