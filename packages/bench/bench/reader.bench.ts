/**
 * Reader benchmark: the driver engine (and native when it loads) against a
 * plain cassandra-driver `executeConcurrent` loop at the same concurrency, in
 * one run, on a keyspace of random blobs created once.
 *
 *   pnpm --filter @cassdl/bench bench:reader [--samples 10000] [--blob-size 110000]
 *     [--batch-size 128] [--prefetch 4] [--inflight 1024] [--consumer-ms 10]
 *     [--engines driver,native,plain] [--workers N] [--rounds 3] [--out ../../bench/core-reader.json]
 *
 * Cassandra: CASSDL_CONTACT_POINTS (and CASSDL_PORT, CASSDL_LOCAL_DC), else 127.0.0.1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { probeNative } from '@cassdl/core';
import { connectionFromEnv } from '@cassdl/schema';
import { withClient } from '@cassdl/test-utils';
import {
  BENCH_TABLE,
  type BenchReport,
  type BenchRun,
  benchRowReadCql,
  ensureBenchDataset,
  machineInfo,
  plainConcurrency,
  ratios,
  runPlain,
  runReader,
} from '../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '10000' },
    'blob-size': { type: 'string', default: '110000' },
    'batch-size': { type: 'string', default: '128' },
    prefetch: { type: 'string', default: '4' },
    inflight: { type: 'string', default: '1024' },
    'consumer-ms': { type: 'string', default: '10' },
    engines: { type: 'string', default: 'driver,native,plain' },
    workers: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    keyspace: { type: 'string', default: 'cassdl_bench' },
    out: { type: 'string', default: resolve(repoRoot, 'bench/core-reader.json') },
  },
});
const num = (name: keyof typeof values) => Number(values[name]);
const connection = connectionFromEnv(process.env) ?? { contactPoints: ['127.0.0.1'] };
const contactPoints = connection.contactPoints ?? ['127.0.0.1'];

const keyspace = String(values.keyspace);
const { ids, release } = await withClient({ ...connection, contactPoints }, async (admin) => {
  const ids = await ensureBenchDataset(admin, {
    keyspace,
    samples: num('samples'),
    blobSize: num('blob-size'),
    onProgress: (done, total) => process.stderr.write(`\rwriting bench rows ${done}/${total}`),
  });
  process.stderr.write('\n');
  const release = (await admin.execute('SELECT release_version FROM system.local'))
    .first()
    ?.get('release_version') as string | undefined;
  return { ids, release };
});

const settings = {
  connection,
  table: `${keyspace}.${BENCH_TABLE}`,
  ids,
  batchSize: num('batch-size'),
  prefetch: num('prefetch'),
  inflight: num('inflight'),
  consumerMs: num('consumer-ms'),
  latencyMs: null,
  ...(values.workers !== undefined ? { workers: num('workers') } : {}),
};
const query = benchRowReadCql(keyspace);
const native = await probeNative();
const engines = String(values.engines)
  .split(',')
  .filter(
    (engine) =>
      engine !== 'native' ||
      native.available ||
      !process.stderr.write('native engine not available here: skipped\n'),
  );
const runs: BenchRun[] = [];
// Rounds interleave the engines, rotating which goes first, so that load from
// other processes and server warm-up fall on all of them alike.
for (let round = 0; round < num('rounds'); round++) {
  const order = engines.map((_, i) => engines[(i + round) % engines.length] as string);
  for (const engine of order) {
    process.stderr.write(`round ${round + 1}: ${engine}...\n`);
    const run =
      engine === 'plain'
        ? await runPlain(settings, query)
        : await runReader(engine as 'driver' | 'native', settings);
    runs.push({ ...run, round });
    process.stderr.write(
      `  ${run.samplesPerSec.toFixed(0)} samples/s, ${(run.bytesPerSec / 1e6).toFixed(0)} MB/s, ` +
        `cpu ${run.cpuSecPer1kSamples.toFixed(3)} s/1k, main ${run.mainThreadCpuSecPer1kSamples.toFixed(3)} s/1k, ` +
        `stall ${run.stallFraction === null ? '-' : (run.stallFraction * 100).toFixed(1)}%\n`,
    );
  }
}
const report: BenchReport & { ratios: ReturnType<typeof ratios> } = {
  runs,
  machine: machineInfo(),
  server: { contactPoints, releaseVersion: release ?? null },
  settings: {
    ...settings,
    ids: undefined,
    samples: ids.length / 16,
    blobSize: num('blob-size'),
    plainConcurrency: plainConcurrency(settings),
  },
  ratios: ratios(runs),
};
await mkdir(dirname(String(values.out)), { recursive: true });
await writeFile(String(values.out), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(report.ratios, null, 2)}\nwrote ${String(values.out)}\n`);
