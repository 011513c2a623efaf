import { createHash } from 'node:crypto';
import { formatUuid, type LabelType } from '@cassdl/schema';
import { concat, createDataTable, testConnectionInput, withClient } from '@cassdl/test-utils';
import cassandra from 'cassandra-driver';
import { SeededRandom } from '../../plan/prng.js';

export const KEYSPACE = 'cassdl_core_test';
export const ROWS = 2000;

/** A row of the test dataset: random distinct bytes whose SHA-256 the tests check. */
export interface TestRow {
  readonly id: string;
  readonly key: Uint8Array;
  readonly data: Uint8Array;
  readonly sha256: string;
  /** The int label: the row's index. */
  readonly label: number;
}

/** The same rows on every run (seeded), so a re-run reuses what an earlier one wrote. */
export function testRows(n = ROWS): TestRow[] {
  const random = new SeededRandom(20_260_101, 0);
  return Array.from({ length: n }, (_, label) => {
    const key = new Uint8Array(16);
    for (let i = 0; i < 16; i++) key[i] = random.nextBelow(256);
    key[6] = ((key[6] as number) & 0x0f) | 0x40; // version 4
    key[8] = ((key[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
    const data = new Uint8Array(64 + random.nextBelow(2048));
    for (let i = 0; i < data.length; i++) data[i] = random.nextBelow(256);
    return { id: formatUuid(key), key, data, sha256: sha256(data), label };
  });
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function packKeys(rows: readonly TestRow[]): Uint8Array {
  return concat(rows.map((r) => r.key));
}

/** The test server's connection options. */
export const connection = testConnectionInput;

/** Tables of the test keyspace; `label_text` has a text label (a wrong type for every labelType). */
export const TABLES: Record<string, LabelType> = {
  data_int: 'int',
  data_blob: 'blob',
  data_none: 'none',
};

/**
 * Creates the keyspace and tables and writes the rows once (a marker row
 * records that a complete write happened, so an interrupted one is redone).
 */
export async function ensureDataset(rows: readonly TestRow[]): Promise<void> {
  await withClient(undefined, async (client) => {
    for (const [table, labelType] of Object.entries(TABLES)) {
      await createDataTable(client, KEYSPACE, table, labelType);
    }
    await client.execute(
      `CREATE TABLE IF NOT EXISTS ${KEYSPACE}.label_text (id uuid PRIMARY KEY, label text, data blob)`,
    );
    await client.execute(
      `CREATE TABLE IF NOT EXISTS ${KEYSPACE}.marker (name text PRIMARY KEY, rows int)`,
    );
    const marker = await client.execute(
      `SELECT rows FROM ${KEYSPACE}.marker WHERE name = 'dataset'`,
    );
    if (marker.first()?.get('rows') === rows.length) return;
    const params = rows.flatMap((r) => [
      {
        q: `INSERT INTO ${KEYSPACE}.data_int (id, label, data) VALUES (?, ?, ?)`,
        p: [r.id, r.label, Buffer.from(r.data)],
      },
      {
        q: `INSERT INTO ${KEYSPACE}.data_blob (id, label, data) VALUES (?, ?, ?)`,
        p: [r.id, Buffer.from(r.sha256, 'hex'), Buffer.from(r.data)],
      },
      {
        q: `INSERT INTO ${KEYSPACE}.data_none (id, data) VALUES (?, ?)`,
        p: [r.id, Buffer.from(r.data)],
      },
    ]);
    await cassandra.concurrent.executeConcurrent(
      client,
      params.map((x) => ({ query: x.q, params: x.p })),
      { concurrencyLevel: 64 },
    );
    await client.execute(
      `INSERT INTO ${KEYSPACE}.marker (name, rows) VALUES ('dataset', ?)`,
      [rows.length],
      { prepare: true },
    );
  });
}
