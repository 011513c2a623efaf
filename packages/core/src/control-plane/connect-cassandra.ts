import { type ConnectionOptionsInput, connectionOptionsSchema, validate } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { CassdlInternalError } from '../errors.js';
import { connectClient } from './connect.js';
import { localDataCenterOf } from './local-data-center.js';
import { loadTlsMaterial } from './tls-material.js';

/**
 * A connected cassandra-driver client for the same connection options the
 * reader takes (auth, TLS files or PEM, cloud bundle), validated first, with
 * the reader's connection errors; for tools and examples that write or scan
 * tables. Statements are prepared and idempotent, so the driver retries them.
 * The caller shuts the client down.
 */
export async function connectCassandra(input: ConnectionOptionsInput): Promise<cassandra.Client> {
  const connection = validate(connectionOptionsSchema, input, 'connection');
  return connectClient(connection, await loadTlsMaterial(connection), 'tool');
}

/**
 * The local data center for `input`: the one given, else the one a client
 * detects on connecting (the cluster's only data center, or the contact
 * points' one). For tools that must name it before reading, such as a
 * keyspace's NetworkTopologyStrategy replication.
 */
export async function resolveLocalDataCenter(input: ConnectionOptionsInput): Promise<string> {
  if (input.localDataCenter !== undefined) return input.localDataCenter;
  const client = await connectCassandra(input);
  try {
    const dc = localDataCenterOf(client);
    if (dc === undefined)
      throw new CassdlInternalError('the connected client names no data center');
    return dc;
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}
