import { describe, expect, it } from 'vitest';
import { finalRate, type RampPoint, timeToShareOfFinal } from '../ramp.js';

/** A batch of `rows` every 10 ms at `rate(ms)` rows/s, for `seconds`. */
function run(seconds: number, rate: (ms: number) => number): RampPoint[] {
  const points: RampPoint[] = [];
  let rows = 0;
  for (let ms = 10; ms <= seconds * 1000; ms += 10) {
    rows += (rate(ms) * 10) / 1000;
    points.push({ ms, rows });
  }
  return points;
}

describe('ramp figures', () => {
  it('a flat run is at its final rate once the first window has passed', () => {
    const points = run(5, () => 10_000);
    expect(finalRate(points)).toBeCloseTo(10_000, -1);
    expect(timeToShareOfFinal(points)).toBeCloseTo(0.5, 1);
  });

  it('a linear ramp to full rate over 2 s reaches 90% a little after 1.8 s', () => {
    const points = run(8, (ms) => 10_000 * Math.min(1, ms / 2000));
    expect(finalRate(points)).toBeCloseTo(10_000, -1);
    const t90 = timeToShareOfFinal(points) as number;
    // The 500 ms window lags the instantaneous rate by about 250 ms.
    expect(t90).toBeGreaterThan(1.8);
    expect(t90).toBeLessThan(2.2);
  });

  it('says nothing for a run too short to have a rate', () => {
    expect(timeToShareOfFinal([])).toBeNull();
    expect(timeToShareOfFinal([{ ms: 10, rows: 5 }])).toBeNull();
    expect(finalRate([{ ms: 10, rows: 5 }])).toBe(0);
  });
});
