import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import cassandra from 'cassandra-driver';
import { CassdlConnectionError } from '../errors.js';

/** What the detection needs to know of a host: where it listens and its data center. */
export interface DataCenterHost {
  /** `ip:port`, as cassandra-driver names hosts. */
  readonly address: string;
  readonly datacenter: string;
}

/**
 * The local data center when the user named none, as the DataStax drivers
 * infer it: the only data center of the cluster, else the one data center
 * the contact points are in. Contact points spread over several data
 * centers (or matching no host) leave the choice to the user, with every
 * data center seen in the error.
 */
export function pickLocalDataCenter(
  hosts: readonly DataCenterHost[],
  contactIps: ReadonlySet<string>,
): string {
  const all = new Set(hosts.map((h) => h.datacenter));
  if (all.size === 1) return [...all][0] as string;
  const ofContacts = new Set(
    hosts.filter((h) => contactIps.has(ipOf(h.address))).map((h) => h.datacenter),
  );
  if (ofContacts.size === 1) return [...ofContacts][0] as string;
  const seen = [...all].sort().join(', ');
  const why =
    ofContacts.size === 0
      ? 'none of the contact points is a host of the cluster'
      : `the contact points are in ${[...ofContacts].sort().join(', ')}`;
  throw new CassdlConnectionError(
    'connect',
    `Cannot tell the local data center: the cluster has ${seen} and ${why}. ` +
      'Set localDataCenter (CASSDL_LOCAL_DC, --local-dc) to the data center this client runs in.',
  );
}

/** `10.0.0.1` of `10.0.0.1:9042`, `::1` of `[::1]:9042` or `::1:9042`. */
function ipOf(address: string): string {
  const bracketed = /^\[(.*)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1] as string;
  const cut = address.lastIndexOf(':');
  return cut > 0 && isIP(address.slice(0, cut)) !== 0 ? address.slice(0, cut) : address;
}

/** The IP addresses the contact points name (hostnames resolved; ports dropped). */
export async function contactPointIps(contactPoints: readonly string[]): Promise<Set<string>> {
  const ips = new Set<string>();
  for (const point of contactPoints) {
    const host = ipOf(point);
    if (isIP(host) !== 0) {
      ips.add(host);
      continue;
    }
    const found = await lookup(host, { all: true }).catch(() => []);
    for (const a of found) ips.add(a.address);
  }
  return ips;
}

type HostMap = Parameters<cassandra.policies.loadBalancing.LoadBalancingPolicy['init']>[1];
type InitCallback = Parameters<cassandra.policies.loadBalancing.LoadBalancingPolicy['init']>[2];

/**
 * cassandra-driver's default policy, with the local data center picked from
 * the cluster once the driver has read its topology, instead of required up
 * front. The same connection then serves the reader: no probe connection.
 */
export class DetectedDataCenterPolicy extends cassandra.policies.loadBalancing
  .DefaultLoadBalancingPolicy {
  readonly #contactIps: ReadonlySet<string>;

  constructor(contactIps: ReadonlySet<string>) {
    super();
    this.#contactIps = contactIps;
  }

  override init(client: cassandra.Client, hosts: HostMap, callback: InitCallback): void {
    try {
      const seen = hosts.values().map((h) => ({ address: h.address, datacenter: h.datacenter }));
      (this as { localDc?: string }).localDc = pickLocalDataCenter(seen, this.#contactIps);
    } catch (error) {
      callback(error as Error);
      return;
    }
    super.init(client, hosts, callback);
  }
}

/** The local data center a connected client routes to (given, detected, or from a cloud bundle). */
export function localDataCenterOf(client: cassandra.Client): string | undefined {
  // `options` is public in cassandra-driver's JavaScript (documented on Client) but missing from its typings.
  const options = (client as unknown as { options: cassandra.ClientOptions }).options;
  const policy = options.policies?.loadBalancing as { localDc?: unknown } | undefined;
  const dc = policy?.localDc ?? options.localDataCenter;
  return typeof dc === 'string' && dc !== '' ? dc : undefined;
}
