/**
 * Evenly spaced Murmur3 tokens, one per node. With `num_tokens: 1` and
 * `auto_bootstrap: false` each node owns an equal slice of the ring from the
 * start, so a three-node cluster needs no bootstrap streaming.
 */
const MIN_TOKEN = -(2n ** 63n);
const RING_SIZE = 2n ** 64n;

export function evenTokens(nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) =>
    (MIN_TOKEN + (RING_SIZE * BigInt(i)) / BigInt(nodes)).toString(),
  );
}
