/**
 * How many batches may be outstanding (submitted and not yet handed to the
 * consumer) after `delivered` batches. Without slow start it is always
 * `prefetchBuffers`. With `slowStart: n` it grows linearly from 1 to
 * `prefetchBuffers` over the first `n` batches, so a cold cluster (empty
 * caches, JIT) is not hit with the full burst at once, as
 * cassandra-dali-plugin's `slow_start` does.
 */
export function prefetchWindow(
  delivered: number,
  prefetchBuffers: number,
  slowStart: number,
): number {
  if (slowStart <= 0 || delivered >= slowStart) return prefetchBuffers;
  return Math.max(
    1,
    Math.min(prefetchBuffers, 1 + Math.floor((delivered * prefetchBuffers) / slowStart)),
  );
}
