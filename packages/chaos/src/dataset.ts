import { randomBytes } from 'node:crypto';
import { connectCassandra } from '@cassdl/core';
import {
  type ConnectionOptionsInput,
  createDataTableCql,
  createKeyspaceCql,
  formatUuid,
  type RawBatch,
} from '@cassdl/schema';
import cassandra from 'cassandra-driver';

/** A written chaos table: where it is and which ids it holds. */
export interface ChaosDataset {
  /** `keyspace.table`, as the reader's `table` option wants it. */
  readonly table: string;
  readonly keyspace: string;
  readonly replicationFactor: number;
  /** 16 bytes per id, in write order. */
  readonly keys: Uint8Array;
  readonly ids: readonly string[];
}

export interface WriteDatasetOptions {
  readonly connection: ConnectionOptionsInput;
  readonly keyspace: string;
  readonly replicationFactor: number;
  readonly rows: number;
  /** Bytes of each row's blob (at least 16). */
  readonly blobBytes: number;
}

/**
 * Creates `<keyspace>.data (id uuid, label int, data blob)` and writes `rows`
 * rows at consistency ALL, so every replica holds every row before a fault:
 * a replica that missed a write would turn a retry into a missing row.
 * Each blob starts with its own id, so a row served for the wrong id is caught.
 */
export async function writeDataset(options: WriteDatasetOptions): Promise<ChaosDataset> {
  const { keyspace, replicationFactor, rows } = options;
  if (options.blobBytes < 16)
    throw new RangeError(`blobBytes must be at least 16, got ${options.blobBytes}`);
  const client = await connectCassandra(options.connection);
  try {
    await client.execute(
      createKeyspaceCql({
        name: keyspace,
        replication: { class: 'SimpleStrategy', replicationFactor },
        durableWrites: true,
      }),
    );
    await client.execute(
      createDataTableCql({
        keyspace,
        table: 'data',
        idCol: 'id',
        dataCol: 'data',
        labelCol: 'label',
        labelType: 'int',
      }),
    );
    const keys = randomKeys(rows);
    const ids = Array.from({ length: rows }, (_, i) => formatUuid(keys, i * 16));
    const insert = `INSERT INTO ${keyspace}.data (id, label, data) VALUES (?, ?, ?)`;
    await inParallel(rows, WRITE_CONCURRENCY, (i) =>
      client.execute(
        insert,
        [ids[i], i, rowBlob(keys.subarray(i * 16, i * 16 + 16), options.blobBytes)],
        {
          prepare: true,
          consistency: cassandra.types.consistencies.all,
        },
      ),
    );
    return { table: `${keyspace}.data`, keyspace, replicationFactor, keys, ids };
  } finally {
    await client.shutdown();
  }
}

const WRITE_CONCURRENCY = 32;

/** Runs `task(0..n-1)` with at most `limit` running at once; the first failure rejects. */
async function inParallel(
  n: number,
  limit: number,
  task: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
}

/** Random version-4 UUIDs: distinct per run, so a stale row from an earlier run cannot pass. */
function randomKeys(n: number): Uint8Array {
  const keys = new Uint8Array(randomBytes(n * 16));
  for (let i = 0; i < n; i++) {
    keys[i * 16 + 6] = ((keys[i * 16 + 6] as number) & 0x0f) | 0x40;
    keys[i * 16 + 8] = ((keys[i * 16 + 8] as number) & 0x3f) | 0x80;
  }
  return keys;
}

/** The id, then random bytes. */
function rowBlob(key: Uint8Array, bytes: number): Buffer {
  const blob = randomBytes(bytes);
  blob.set(key, 0);
  return blob;
}

/** Rows whose blob does not start with their own id: served for the wrong id, or torn. */
export function countWrongRows(batch: RawBatch): number {
  let wrong = 0;
  for (let i = 0; i < batch.size; i++) {
    const start = batch.dataOffsets[i] as number;
    const end = batch.dataOffsets[i + 1] as number;
    const head = batch.data.subarray(start, Math.min(end, start + 16));
    const id = batch.ids.subarray(i * 16, i * 16 + 16);
    if (head.length !== 16 || !head.every((b, k) => b === id[k])) wrong++;
  }
  return wrong;
}
