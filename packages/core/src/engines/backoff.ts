import type { RetryOptions } from '@cassdl/schema';

export type { RetryOptions };

/**
 * Delay before retry number `retry` (1 = the first retry): exponential from
 * `baseDelayMs`, capped at `maxDelayMs`, with "equal jitter" (half fixed,
 * half random) so that many rows failing together do not retry in lockstep.
 * `random` is injectable for tests.
 */
export function backoffDelayMs(
  retry: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}
