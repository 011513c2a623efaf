import type { EngineStats, FetchedRows } from '@cassdl/schema';
import { describe, expect, it } from 'vitest';
import type { Engine, EngineLimits } from '../engines/engine.js';
import { MetricsRecorder } from '../metrics/reader-metrics.js';
import { Pipeline } from '../reader/pipeline.js';

/** An engine that only records the limits the pipeline sets; no rows ever arrive. */
function recordingEngine(): Engine & { limits: EngineLimits[] } {
  const limits: EngineLimits[] = [];
  const stats: EngineStats = {
    requests: 0,
    retries: 0,
    failures: 0,
    rows: 0,
    bytes: 0,
    inflight: 0,
    peakInflight: 0,
    missing: 0,
    latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 },
  };
  return {
    kind: 'native',
    limits,
    fetch: () => Promise.reject(new Error('not used')) as Promise<FetchedRows>,
    setLimits: (l) => limits.push(l),
    stats: () => stats,
    close: async () => {},
  };
}

const BOUNDS = { batchSize: 128, maxInflight: 65_536, maxPrefetch: 4096, memoryBudget: 2 ** 30 };

describe('Pipeline: the native ring follows the window', () => {
  it('keeps arenas for every batch the window holds, not only those still fetching', () => {
    // Batches that arrived behind a slower one stay lent: a ring sized for
    // `prefetch` alone lent past its end, and each extra lending mapped,
    // faulted in and unmapped an arena of its own.
    const engine = recordingEngine();
    const metrics = new MetricsRecorder();
    const pipeline = new Pipeline(engine, BOUNDS, metrics);
    const first = engine.limits.at(-1)?.batchSlots ?? 0;
    expect(first).toBe(pipeline.target.prefetch + 2);
    for (let i = 0; i < first + 20; i++) metrics.batchSubmitted();
    pipeline.sample();
    expect(engine.limits.at(-1)?.batchSlots).toBe(first + 22);
    // The window drains: the ring keeps its arenas until the need falls below half of them.
    const slots = first + 22;
    const halfWindow = Math.ceil(slots / 2) - 2;
    for (let i = 0; i < first + 20 - halfWindow; i++) metrics.batchSettled();
    pipeline.sample();
    expect(engine.limits.at(-1)?.batchSlots).toBe(slots);
    metrics.batchSettled();
    pipeline.sample();
    expect(engine.limits.at(-1)?.batchSlots).toBe(halfWindow + 1);
  });
});
