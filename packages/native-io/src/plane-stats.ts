import type { EngineStats, HostLatency } from '@cassdl/schema';

/** One host's latency counters as the addon reports them, in the plan's host order. */
export interface RawHostLatency {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
  readonly sumMs: number;
}

/** The counters the addon's `stats()` returns (src/binding/js_data_plane.cc). */
export type RawPlaneStats = Omit<EngineStats, 'hosts'> & {
  readonly hostLatencyMs: readonly RawHostLatency[];
};

/**
 * The engine contract's stats from the addon's: per-host latencies named
 * `address:port` (the addon knows hosts by index only), hosts that answered
 * nothing yet left out.
 */
export function toEngineStats(raw: RawPlaneStats, hosts: readonly string[]): EngineStats {
  const { hostLatencyMs, ...stats } = raw;
  const named: HostLatency[] = [];
  hostLatencyMs.forEach((h, i) => {
    const host = hosts[i];
    if (host === undefined || h.count === 0) return;
    named.push({ host, p50: h.p50, p99: h.p99, answered: h.count, totalMs: h.sumMs });
  });
  return { ...stats, hosts: named };
}
