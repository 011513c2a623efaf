import type { Consistency } from '@cassdl/schema';
import cassandra from 'cassandra-driver';

const CODES: Record<Consistency, number> = {
  LOCAL_ONE: cassandra.types.consistencies.localOne,
  ONE: cassandra.types.consistencies.one,
  LOCAL_QUORUM: cassandra.types.consistencies.localQuorum,
  QUORUM: cassandra.types.consistencies.quorum,
  ALL: cassandra.types.consistencies.all,
};

/** The consistency level's code as sent on the wire (LOCAL_ONE = 0x000a). */
export function consistencyCode(level: Consistency): number {
  return CODES[level];
}
