import { describe, expect, it } from 'vitest';
import type { RunCost } from '../measure.js';
import { type BenchRun, median, ratios } from '../report.js';
import { benchRun } from '../runs.js';

const cost: RunCost = {
  wallSec: 2,
  clientCpuSec: 1,
  mainThreadCpuSec: 0.5,
  peakRssBytes: 100,
  gcSec: 0.01,
};

function run(engine: string, samplesPerSec: number, latencyMs: number | null = null): BenchRun {
  return {
    ...benchRun(engine, latencyMs, { samples: 1000, bytes: 10, stallFraction: null }, cost),
    samplesPerSec,
  };
}

describe('bench figures', () => {
  it('derives rates and CPU per 1,000 samples from one tally and one cost', () => {
    const r = benchRun('native', 50, { samples: 4000, bytes: 8000, stallFraction: 0.25 }, cost);
    expect(r).toMatchObject({
      engine: 'native',
      latencyMs: 50,
      samplesPerSec: 2000,
      bytesPerSec: 4000,
      cpuSecPer1kSamples: 0.25,
      mainThreadCpuSecPer1kSamples: 0.125,
      stallFraction: 0.25,
      peakRssBytes: 100,
    });
  });

  it('takes the median of an odd and an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('compares each engine with plain at the same latency, from medians', () => {
    const out = ratios([
      run('plain', 100),
      run('plain', 300),
      run('native', 400),
      run('native', 400),
      run('plain', 50, 50),
      run('driver', 25, 50),
    ]);
    expect(Object.keys(out).sort()).toEqual(['driver/plain@50ms', 'native/plain']);
    expect(out['native/plain']?.samplesPerSec).toBe(2);
    expect(out['driver/plain@50ms']?.samplesPerSec).toBe(0.5);
  });
});
