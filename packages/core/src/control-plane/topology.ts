import type { PlanHost, PlanTokenRange } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';

/** The slice of cassandra-driver's metadata (partly internal) the token ring is read from. */
interface RingMetadata {
  ring?: unknown[];
  getReplicas(keyspace: string, token: unknown): cassandra.Host[] | null;
  refreshKeyspace(name: string): Promise<unknown>;
}

/**
 * Every host the driver knows, local data center first. Behind an SNI proxy
 * (`sni`) each host is named by its host id, as the driver names it there.
 */
export function planHosts(
  client: cassandra.Client,
  localDataCenter: string | undefined,
  sni = false,
): PlanHost[] {
  const hosts = client.hosts.values().map((h) => {
    const { address, port } = splitAddress(h.address);
    return {
      address,
      port,
      datacenter: h.datacenter,
      rack: h.rack,
      up: h.isUp(),
      local: h.datacenter === localDataCenter,
      sniName: sni && h.hostId !== null ? h.hostId.toString() : null,
    };
  });
  return hosts.sort((a, b) => Number(b.local) - Number(a.local));
}

/**
 * The Murmur3 ring with each range's replicas for `keyspace`, as indexes into
 * `hosts`. The driver sorts the ring; `getReplicas` answers with the primary
 * replica first, so the data plane's routing matches the driver's.
 */
export async function planRing(
  client: cassandra.Client,
  keyspace: string,
  hosts: readonly PlanHost[],
): Promise<PlanTokenRange[]> {
  const metadata = client.metadata as unknown as RingMetadata;
  await metadata.refreshKeyspace(keyspace);
  const tokens = metadata.ring ?? [];
  const indexOf = new Map(hosts.map((h, i) => [`${h.address}:${h.port}`, i]));
  return tokens.map((token) => ({
    token: decimalToken(token),
    replicas: (metadata.getReplicas(keyspace, token) ?? [])
      .map((h) => indexOf.get(normalize(h.address)))
      .filter((i): i is number => i !== undefined),
  }));
}

/**
 * A Murmur3 token as a decimal int64 string. (The driver's own
 * `ringTokensAsStrings` is a private, non-decimal encoding.)
 */
function decimalToken(token: unknown): string {
  const value = (token as { getValue?: () => unknown }).getValue?.() ?? token;
  return String(value);
}

function normalize(address: string): string {
  const { address: ip, port } = splitAddress(address);
  return `${ip}:${port}`;
}

/** The driver keys hosts as `ip:port` (IPv6 without brackets). */
function splitAddress(address: string): { address: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { address: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}
