import { randomBytes } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinding } from '../load.js';
import { KEYSPACE, openClient } from './helpers/cassandra.js';

describe('murmur3Token', () => {
  let client: cassandra.Client;

  beforeAll(async () => {
    client = await openClient();
    await client.execute(`CREATE TABLE IF NOT EXISTS ${KEYSPACE}.tokens (id uuid PRIMARY KEY)`);
  });
  afterAll(async () => {
    await client?.shutdown();
  });

  it('matches SELECT token(id) on the live server for random uuids', async () => {
    const binding = requireBinding();
    const ids = Array.from({ length: 200 }, () => randomBytes(16));
    ids.push(Buffer.alloc(16, 0), Buffer.alloc(16, 0xff), Buffer.alloc(16, 0x80));
    const params = ids.map((id) => [new cassandra.types.Uuid(id)]);
    await cassandra.concurrent.executeConcurrent(
      client,
      `INSERT INTO ${KEYSPACE}.tokens (id) VALUES (?)`,
      params,
    );
    for (const id of ids) {
      const result = await client.execute(
        `SELECT token(id) AS t FROM ${KEYSPACE}.tokens WHERE id = ?`,
        [new cassandra.types.Uuid(id)],
        { prepare: true },
      );
      const server = BigInt(String(result.first()?.get('t')));
      expect(binding.murmur3Token(new Uint8Array(id)), id.toString('hex')).toBe(server);
    }
  });
});
