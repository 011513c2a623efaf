import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../decode/map-concurrent.js';

describe('mapConcurrent', () => {
  it('keeps at most `limit` tasks in flight and runs every index once', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await mapConcurrent(20, 3, async (index) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, index % 3));
      seen.push(index);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('finishes every task after a failure and reports errors by index', async () => {
    const finished: number[] = [];
    const errors = await mapConcurrent(6, 2, async (index) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (index === 1 || index === 4) throw new Error(`bad ${index}`);
      finished.push(index);
    });
    expect(finished.sort()).toEqual([0, 2, 3, 5]);
    expect(errors.map((e) => (e as Error | undefined)?.message)).toEqual([
      undefined,
      'bad 1',
      undefined,
      undefined,
      'bad 4',
      undefined,
    ]);
  });
});
