// native-io's binding of the shared fixtures (@cassdl/test-utils) to its own test keyspace.

import type { LabelType } from '@cassdl/schema';
import {
  createKeyspace,
  openDriverClient,
  type SeededTable,
  seedTable as seedTableIn,
  type TestTarget,
} from '@cassdl/test-utils';
import type cassandra from 'cassandra-driver';

export {
  buildPlan,
  concat,
  DEFAULT_OPTIONS,
  readWithDriver,
  rowReadQuery,
  type SeededTable,
} from '@cassdl/test-utils';
export type { LabelType };

export const KEYSPACE = 'cassdl_native_test';

/** A driver client on the test cluster (or `target`), with the test keyspace created. */
export async function openClient(
  target?: TestTarget,
  credentials?: { username: string; password: string },
): Promise<cassandra.Client> {
  const client = await openDriverClient(target, credentials);
  await createKeyspace(client, KEYSPACE);
  return client;
}

/** Creates `KEYSPACE.table` afresh with `count` random, distinct rows. */
export function seedTable(
  client: cassandra.Client,
  table: string,
  labelType: LabelType,
  count: number,
): Promise<SeededTable> {
  return seedTableIn(client, KEYSPACE, table, labelType, count);
}
