/** Rows delivered by a time: one point per batch, milliseconds from the run's first fetch. */
export interface RampPoint {
  readonly ms: number;
  readonly rows: number;
}

/** The final rate is the rate over this last share of the run (after the ramp, before nothing). */
const FINAL_SHARE = 0.4;
/** The rate at a point is over at least this much time before it: one batch alone says little. */
const WINDOW_MS = 500;

/** Rows per second over the last 40% of the run's time; 0 for fewer than two points. */
export function finalRate(points: readonly RampPoint[]): number {
  const last = points.at(-1);
  if (last === undefined || points.length < 2) return 0;
  const from = last.ms * (1 - FINAL_SHARE);
  const first = points.find((p) => p.ms >= from) ?? last;
  if (last.ms <= first.ms) return 0;
  return ((last.rows - first.rows) * 1000) / (last.ms - first.ms);
}

/**
 * Seconds from the first fetch until the delivery rate (over the preceding
 * 500 ms at least) first reached `share` of the final rate: how long the
 * pipeline took to fill, reported apart from the rate itself. Null when the
 * run was too short to tell (fewer than two points, or no final rate).
 */
export function timeToShareOfFinal(points: readonly RampPoint[], share = 0.9): number | null {
  const target = share * finalRate(points);
  if (target <= 0) return null;
  // The first fetch is the origin: nothing delivered at 0 ms.
  const all: readonly RampPoint[] = [{ ms: 0, rows: 0 }, ...points];
  let j = 0;
  for (let i = 1; i < all.length; i++) {
    const p = all[i] as RampPoint;
    if (p.ms < WINDOW_MS) continue;
    // The latest point at least WINDOW_MS before p.
    while ((all[j + 1] as RampPoint).ms <= p.ms - WINDOW_MS) j++;
    const start = all[j] as RampPoint;
    if (((p.rows - start.rows) * 1000) / (p.ms - start.ms) >= target) return p.ms / 1000;
  }
  return null;
}
