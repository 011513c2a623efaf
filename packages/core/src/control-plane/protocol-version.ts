import type cassandra from 'cassandra-driver';
import { CassdlConnectionError } from '../errors.js';

/**
 * The CQL native protocol version the data plane speaks. cassandra-driver
 * negotiates v4 with every Apache Cassandra it supports (it has no v5), and
 * v4 is what both engines frame, so the plan states it rather than reading
 * the driver's internal control connection for it.
 */
export const PLAN_PROTOCOL_VERSION = 4;

/** Apache Cassandra answers protocol v4 from 2.2 on. */
const FIRST_V4_RELEASE: readonly [number, number] = [2, 2];

/**
 * The plan's protocol version, after checking with the hosts' public
 * `cassandraVersion` that every one of them speaks it: a host older than
 * 2.2 fails here, naming it, rather than at the data plane's STARTUP.
 */
export function planProtocolVersion(hosts: readonly cassandra.Host[]): number {
  const old = hosts.filter((h) => !speaksV4(h.cassandraVersion));
  if (old.length > 0) {
    const named = old.map((h) => `${h.address} (Cassandra ${h.cassandraVersion})`).join(', ');
    throw new CassdlConnectionError(
      'connect',
      `${named} cannot speak CQL native protocol v4, which cassdl needs. ` +
        'Fix: upgrade to Apache Cassandra 2.2 or later (4.0 or later recommended).',
    );
  }
  return PLAN_PROTOCOL_VERSION;
}

/** True for an unknown version too: the driver already connected with it. */
export function speaksV4(cassandraVersion: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(cassandraVersion ?? '');
  if (match === null) return true;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return (
    major > FIRST_V4_RELEASE[0] || (major === FIRST_V4_RELEASE[0] && minor >= FIRST_V4_RELEASE[1])
  );
}
