import { isIPv4 } from 'node:net';
import { LocalCassandraOptionError } from '../errors/errors.js';

/**
 * The addresses of an n-node local cluster: the first node's IPv4 address and
 * the next ones (127.0.0.31 -> .31, .32, .33). All of 127.0.0.0/8 is loopback
 * on Linux, so several nodes can share the same ports.
 */
export function nodeAddresses(first: string, nodes: number): string[] {
  if (!isIPv4(first)) {
    throw new LocalCassandraOptionError('address', 'an IPv4 address such as 127.0.0.1', first);
  }
  const parts = first.split('.').map(Number);
  const last = parts[3] ?? 0;
  if (last + nodes - 1 > 254) {
    throw new LocalCassandraOptionError(
      'address',
      `an address whose last byte leaves room for ${nodes} nodes`,
      first,
    );
  }
  return Array.from({ length: nodes }, (_, i) => [...parts.slice(0, 3), last + i].join('.'));
}
