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

/**
 * Batches the reader may keep outstanding now: the wire's share
 * (`prefetch`, ramped by slow start) plus the batches that arrived and wait
 * behind one still fetching (in-order delivery), up to the controller's
 * whole `window` (the budget's and a user `prefetchBuffers`' bound). The
 * finished ones do not hold the wire back: one slow row would otherwise
 * fill the window with finished batches and leave the wire empty.
 */
export function readerWindow(
  target: { readonly prefetch: number; readonly window: number },
  delivered: number,
  slowStart: number,
  arrived: number,
): number {
  return Math.min(target.window, prefetchWindow(delivered, target.prefetch, slowStart) + arrived);
}
