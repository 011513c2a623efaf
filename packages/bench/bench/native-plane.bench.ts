/**
 * Native data plane vs. a plain cassandra-driver loop on the same table, same
 * run: rows/s and client CPU-seconds per 1,000 rows (process-wide, so the
 * addon's I/O thread counts). The engine-vs-engine benchmark with the driver
 * engine lives in @cassdl/core.
 *
 *   CASSDL_CONTACT_POINTS=127.0.0.1 pnpm --filter @cassdl/bench bench:native -- --rows 3000 --size 112640
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { NativeDataPlane } from '@cassdl/native-io';
import {
  buildPlan,
  concat,
  createKeyspace,
  DEFAULT_OPTIONS,
  openDriverClient,
  type SeededTable,
} from '@cassdl/test-utils';
import cassandra from 'cassandra-driver';
import { measure } from '../src/index.js';

const { values } = parseArgs({
  allowPositionals: true, // pnpm passes a lone "--" through
  options: {
    rows: { type: 'string', default: '3000' },
    size: { type: 'string', default: String(110 * 1024) },
    batch: { type: 'string', default: '128' },
    inflight: { type: 'string', default: '256' },
    connections: { type: 'string', default: '2' },
    prefetch: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '256' },
    json: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const SIZE = Number(values.size);
const BATCH = Number(values.batch);
const TABLE = `bench_${SIZE}`;
const KEYSPACE = 'cassdl_native_test';

interface Figure {
  engine: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  cpuSecondsPer1000: number;
}

/** Runs `work` under the one bench `measure` and keeps this table's figures. */
async function figure(engine: string, rows: number, work: () => Promise<void>): Promise<Figure> {
  const { cost } = await measure(work);
  return {
    engine,
    rows,
    seconds: cost.wallSec,
    rowsPerSecond: rows / cost.wallSec,
    cpuSecondsPer1000: (cost.clientCpuSec / rows) * 1000,
  };
}

/** Row i's id: derived from i, so a rerun finds its rows by key without scanning the table. */
function benchId(i: number): Uint8Array {
  return new Uint8Array(createHash('md5').update(`cassdl-bench-${SIZE}-${i}`).digest());
}

/**
 * Writes the rows unless the last one is already there. Never scans the
 * table: a full scan of 110 KB blobs loads them all on the server's heap.
 */
async function ensureTable(client: cassandra.Client): Promise<SeededTable> {
  const ks = KEYSPACE;
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${ks}.${TABLE} (id uuid PRIMARY KEY, data blob)`,
  );
  const ids = Array.from({ length: ROWS }, (_, i) => benchId(i));
  const uuid = (id: Uint8Array) => new cassandra.types.Uuid(Buffer.from(id));
  const last = await client.execute(
    `SELECT id FROM ${ks}.${TABLE} WHERE id = ?`,
    [uuid(ids[ROWS - 1] as Uint8Array)],
    {
      prepare: true,
    },
  );
  if (last.rowLength === 0) {
    const params = ids.map((id) => [uuid(id), randomBytes(SIZE)]);
    await cassandra.concurrent.executeConcurrent(
      client,
      `INSERT INTO ${ks}.${TABLE} (id, data) VALUES (?, ?)`,
      params,
      {
        concurrencyLevel: 16,
      },
    );
  }
  return { keyspace: ks, table: TABLE, labelType: 'none', ids };
}

async function main(): Promise<void> {
  const client = await openDriverClient();
  await createKeyspace(client, KEYSPACE);
  const seeded = await ensureTable(client);
  const figures: Figure[] = [];

  const query = `SELECT data FROM ${KEYSPACE}.${TABLE} WHERE id = ?`;
  figures.push(
    await figure('cassandra-driver executeConcurrent', ROWS, async () => {
      const params = seeded.ids.map((id) => [new cassandra.types.Uuid(Buffer.from(id))]);
      await cassandra.concurrent.executeConcurrent(client, query, params, {
        concurrencyLevel: Number(values.concurrency),
        collectResults: false,
      });
    }),
  );

  const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
    ...DEFAULT_OPTIONS,
    inflight: Number(values.inflight),
    connectionsPerHost: Number(values.connections),
  });
  figures.push(
    await figure('native-io', ROWS, async () => {
      const batches: Uint8Array[] = [];
      for (let i = 0; i < ROWS; i += BATCH) batches.push(concat(seeded.ids.slice(i, i + BATCH)));
      // Keep `prefetch` batches outstanding, as the reader does.
      let next = 0;
      const worker = async () => {
        while (next < batches.length) {
          const rows = await plane.fetch(batches[next++] as Uint8Array);
          if (rows.size === 0) throw new Error('empty batch');
        }
      };
      await Promise.all(Array.from({ length: Number(values.prefetch) }, worker));
    }),
  );
  const stats = plane.stats();
  await plane.close();
  await client.shutdown();

  if (values.json) {
    console.log(
      JSON.stringify(
        { rows: ROWS, size: SIZE, batch: BATCH, figures, nativeStats: stats },
        null,
        2,
      ),
    );
    return;
  }
  console.log(`${ROWS} rows x ${SIZE} bytes, batch ${BATCH}\n`);
  console.log('| engine | rows/s | client CPU s / 1,000 rows |');
  console.log('| --- | ---: | ---: |');
  for (const f of figures)
    console.log(
      `| ${f.engine} | ${f.rowsPerSecond.toFixed(0)} | ${f.cpuSecondsPer1000.toFixed(3)} |`,
    );
  console.log(
    `\nnative latency ms p50 ${stats.latencyMs.p50.toFixed(2)} p99 ${stats.latencyMs.p99.toFixed(2)}, peak in flight ${stats.peakInflight}`,
  );
}

await main();
