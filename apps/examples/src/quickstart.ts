// quickstart: the shortest path through cassdl (node apps/examples/dist/quickstart.js).
//
// 1. Start (or reuse) a real local Cassandra, or use CASSDL_CONTACT_POINTS.
// 2. Create a keyspace and a data table from @cassdl/schema's DDL.
// 3. Write a small dataset of random blobs with int labels.
// 4. Read it back through the cassdl reader for two shuffled epochs, checking
//    that every row arrives exactly once per epoch with the bytes written.
import { CassandraReader } from '@cassdl/core';
import { exampleConnection } from './common/connection.js';
import { consoleLogger } from './common/log.js';
import { parseQuickstartArgs } from './quickstart/args.js';
import { writeRandomDataset } from './quickstart/dataset.js';
import { verifyEpoch } from './quickstart/verify.js';

async function main(): Promise<void> {
  const args = parseQuickstartArgs(process.argv.slice(2));
  const connection = await exampleConnection(say);
  const table = `${args.keyspace}.data`;

  say(`writing ${args.rows} rows of ${kb(args.blobBytes)} random data into ${table}`);
  const dataset = await writeRandomDataset(connection, {
    keyspace: args.keyspace,
    rows: args.rows,
    blobBytes: args.blobBytes,
    classes: 10,
  });

  const reader = await CassandraReader.open({
    connection,
    table,
    labelType: 'int',
    sourceUuids: dataset.ids,
    batchSize: args.batchSize,
    shuffleEveryEpoch: true,
    seed: 42,
    epochs: 2,
  });
  say(`reading with the ${reader.engineKind} engine, ${reader.batchesPerEpoch} batches per epoch`);
  try {
    for (let epoch = 0; epoch < 2; epoch++) {
      const started = performance.now();
      const check = await verifyEpoch(reader.epoch(), dataset);
      const seconds = (performance.now() - started) / 1000;
      say(
        `epoch ${epoch}: ${check.rows} rows (${check.padding} padding) in ${seconds.toFixed(2)} s, ` +
          `${Math.round(check.rows / seconds)} rows/s, every row exactly once with the bytes written`,
      );
    }
    const m = reader.metrics();
    say(
      `reader: ${Math.round(m.samplesPerSec)} samples/s, ${(m.bytesPerSec / 1e6).toFixed(1)} MB/s, ` +
        `request latency p50 ${m.latencyMs.p50.toFixed(1)} ms / p99 ${m.latencyMs.p99.toFixed(1)} ms, ` +
        `consumer stalled ${(m.stallFraction * 100).toFixed(0)}% of the time`,
    );
  } finally {
    await reader.close();
  }
  say(
    'done. The local server keeps running for the next run; stop it with `pnpm cassdl server stop`.',
  );
}

const say = consoleLogger('quickstart');

function kb(bytes: number): string {
  return `${Math.round(bytes / 1024)} KB`;
}

main().catch((error: unknown) => {
  console.error(`[quickstart] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
