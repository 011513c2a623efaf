import { type ConnectionOptionsInput, connectionOptionsSchema, validate } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { connectClient } from './connect.js';
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
