import { probeNative } from '@cassdl/core';
import { withClient } from '@cassdl/datasets';
import {
  byteSizeSchema,
  CassdlValidationError,
  type ConnectionOptions,
  type ConnectionOptionsInput,
  describeReceived,
  engineFields,
  MIN_MEMORY_BUDGET,
  schemaNameSchema,
  validate,
  validationIssue,
} from '@cassdl/schema';
import { z } from 'zod';
import { runInChild } from './child-run.js';
import { BENCH_TABLE, benchRowReadCql, ensureBenchDataset } from './dataset.js';
import { runFloor } from './floor.js';
import { type BenchRun, machineInfo, READER_FIGURE_KEYS, withVsZero } from './report.js';
import type { RunSettings } from './runs.js';
import type { SoakFigures } from './soak.js';
import { CassdlBenchError, ensureToxiproxy, LatencyProxy } from './toxiproxy.js';

export const BENCH_ENGINES = ['native', 'driver', 'plain', 'floor'] as const;
export type BenchEngine = (typeof BENCH_ENGINES)[number];

/**
 * One run's figures: exactly the fields of `cassdl bench --json`; a soak
 * (`durationSec`) adds `SoakFigures` (RSS growth after warm-up, leaks after close).
 */
export type BenchRunResult = BenchRunFigures & Partial<SoakFigures>;

/** The fields of a run that `cassdl bench --json` writes, in their order: the type and the pick from one list. */
const RUN_FIGURE_KEYS = [
  'engine',
  'latencyMs',
  'samples',
  'bytes',
  'wallSec',
  'samplesPerSec',
  'bytesPerSec',
  'clientCpuSec',
  'mainThreadCpuSec',
  'cpuSecPer1kSamples',
  'stallFraction',
  'peakRssBytes',
  'gcSec',
  'batchSize',
  ...READER_FIGURE_KEYS,
  'vsZeroMs',
] as const satisfies readonly (keyof BenchRun)[];

type BenchRunFigures = Pick<BenchRun, (typeof RUN_FIGURE_KEYS)[number]>;

/** What `cassdl bench --json` writes. */
export interface BenchResults {
  readonly runs: BenchRunResult[];
  readonly machine: ReturnType<typeof machineInfo>;
  readonly server: { readonly contactPoints: string[]; readonly releaseVersion: string | null };
}

export type BenchProgress =
  | { readonly phase: 'dataset'; readonly written: number; readonly total: number }
  | {
      readonly phase: 'run';
      readonly engine: BenchEngine;
      readonly latencyMs: number | null;
      /** Null for the floor. */
      readonly batchSize?: number | null;
      readonly index: number;
      readonly count: number;
    }
  | {
      readonly phase: 'soak';
      readonly engine: BenchEngine;
      readonly elapsedSec: number;
      readonly durationSec: number;
      readonly epochs: number;
      readonly rssBytes: number;
    }
  | { readonly phase: 'result'; readonly run: BenchRunResult };

export interface BenchOptions {
  readonly connection: ConnectionOptionsInput;
  /** Keyspace of the synthetic dataset, made once and reused while samples and blob size match. Default `cassdl_bench`. */
  readonly keyspace?: string;
  /** Rows. Default 10,000. */
  readonly samples?: number;
  /** Bytes per row. Default 110,000. */
  readonly blobSize?: number;
  /** Default: native (when its addon loads), driver, plain. */
  readonly engines?: readonly BenchEngine[];
  /**
   * Added round trips in ms, each a run through Toxiproxy (0: proxied, no
   * toxic). Without it runs go straight to Cassandra (`latencyMs: null`).
   */
  readonly latencyMs?: readonly number[];
  /** Rows per batch, or a list: every latency and engine runs at each. Default 128 (the reader's). */
  readonly batchSize?: number | readonly number[];
  /** The reader's `prefetchBuffers`: batches read ahead at most. Default `'auto'` (the reader's: its controller decides). */
  readonly prefetch?: number | 'auto';
  /** The reader's `inflight`: row requests in flight at most. Default `'auto'` (the reader's). */
  readonly inflight?: number | 'auto';
  /** The reader's `memoryBudget`: bytes or a `'512MiB'`-style size. Default `'auto'` (the reader's). */
  readonly memoryBudget?: number | string;
  /** The reader's `connectionsPerHost` (the plain loop's too). Default `'auto'` (the reader's: each engine its own). */
  readonly connectionsPerHost?: number | 'auto';
  /** Simulated work per batch, ms. Default 0. */
  readonly consumerMs?: number;
  /**
   * Soak: each reader engine reads epochs (`loopForever`) for this many
   * seconds instead of one epoch; RSS is sampled every second and leaks are
   * counted after `close()` (`SoakFigures`). 600 is the benchmark soak.
   * Reader engines only (`native`, `driver`).
   */
  readonly durationSec?: number;
  readonly onProgress?: (event: BenchProgress) => void;
}

const benchSchema = z.strictObject({
  connection: z.custom<ConnectionOptionsInput>((v) => typeof v === 'object' && v !== null),
  keyspace: schemaNameSchema.default('cassdl_bench'),
  samples: z.int().min(1).default(10_000),
  blobSize: z
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .default(110_000),
  engines: z.array(z.enum(BENCH_ENGINES)).min(1).optional(),
  latencyMs: z.array(z.int().min(0).max(60_000)).min(1).optional(),
  batchSize: z
    .union([z.int().min(1), z.array(z.int().min(1)).min(1)])
    .default(128)
    .transform((b) => (typeof b === 'number' ? [b] : b)),
  prefetch: z.union([z.literal('auto'), z.int().min(1)]).default('auto'),
  inflight: z.union([z.literal('auto'), z.int().min(1)]).default('auto'),
  memoryBudget: z.union([z.literal('auto'), byteSizeSchema(MIN_MEMORY_BUDGET)]).default('auto'),
  connectionsPerHost: z.union([z.literal('auto'), engineFields.connectionsPerHost]).default('auto'),
  consumerMs: z.number().min(0).default(0),
  durationSec: z
    .number()
    .positive()
    .max(7 * 24 * 3600)
    .optional(),
  onProgress: z.custom<BenchOptions['onProgress']>((v) => typeof v === 'function').optional(),
});

/**
 * Measures read throughput and client CPU of each engine at each added
 * latency, one run after another in this process, so ratios between runs
 * are meaningful even where absolute numbers are noise.
 */
export async function runBench(input: BenchOptions): Promise<BenchResults> {
  const o = validate(benchSchema, input, 'bench', 'bench options');
  const soak = o.durationSec !== undefined;
  if (soak) checkSoakable(o);
  const loaded: readonly BenchEngine[] = (await probeNative()).available
    ? BENCH_ENGINES
    : ['driver', 'plain', 'floor'];
  const engines =
    o.engines ?? (soak ? loaded.filter((e) => e !== 'plain' && e !== 'floor') : loaded);
  const { ids, server, connection } = await withClient(o.connection, async (client, c) => {
    const ids = await ensureBenchDataset(client, {
      keyspace: o.keyspace,
      samples: o.samples,
      blobSize: o.blobSize,
      onProgress: (written, total) => o.onProgress?.({ phase: 'dataset', written, total }),
    });
    const row = (await client.execute('SELECT release_version FROM system.local')).first();
    const releaseVersion = row === null ? null : String(row.get('release_version'));
    return { ids, server: { contactPoints: [...c.contactPoints], releaseVersion }, connection: c };
  });
  const latencies: (number | null)[] = o.latencyMs ?? [null];
  const proxy = o.latencyMs === undefined ? null : await startProxy(connection);
  const runs: BenchRunResult[] = [];
  try {
    // The floor has no server to add latency to: it runs once, direct.
    const readers = engines.filter((e) => e !== 'floor');
    const count =
      o.batchSize.length * latencies.length * readers.length + (engines.includes('floor') ? 1 : 0);
    if (engines.includes('floor')) {
      o.onProgress?.({ phase: 'run', engine: 'floor', latencyMs: null, index: 0, count });
      const result = pickRunFields(await runFloor({ samples: o.samples, blobSize: o.blobSize }));
      runs.push(result);
      o.onProgress?.({ phase: 'result', run: result });
    }
    for (const [batchSize, latencyMs] of o.batchSize.flatMap((b) =>
      latencies.map((l) => [b, l] as const),
    )) {
      if (proxy !== null) await proxy.setLatency(latencyMs ?? 0);
      const runConnection =
        proxy === null ? o.connection : { ...o.connection, contactPoints: [proxy.listen] };
      for (const engine of readers) {
        o.onProgress?.({ phase: 'run', engine, latencyMs, batchSize, index: runs.length, count });
        const settings: RunSettings = {
          connection: runConnection,
          table: `${o.keyspace}.${BENCH_TABLE}`,
          ids,
          batchSize,
          prefetch: o.prefetch,
          inflight: o.inflight,
          memoryBudget: o.memoryBudget,
          connectionsPerHost: o.connectionsPerHost,
          consumerMs: o.consumerMs,
          latencyMs,
        };
        // Each run in a process of its own: none inherits the heap, GC debt or RSS of the one before.
        const done = await runInChild(
          {
            engine,
            settings,
            query: benchRowReadCql(o.keyspace),
            ...(o.durationSec !== undefined && engine !== 'plain'
              ? { durationSec: o.durationSec }
              : {}),
          },
          (t) =>
            o.durationSec !== undefined &&
            o.onProgress?.({ phase: 'soak', engine, durationSec: o.durationSec, ...t }),
        );
        const result: BenchRunResult = { ...pickRunFields(done.run), ...done.soak };
        runs.push(result);
        o.onProgress?.({ phase: 'result', run: result });
      }
    }
  } finally {
    await proxy?.stop();
  }
  return { runs: withVsZero(runs), machine: machineInfo(), server };
}

/** A soak loops a reader: `plain` has none, and an epoch without a whole batch would loop without yielding. */
function checkSoakable(o: z.infer<typeof benchSchema>): void {
  const issues = [];
  if (o.engines?.includes('plain') || o.engines?.includes('floor')) {
    issues.push(
      validationIssue(
        'bench.engines',
        'reader engines (native, driver) with durationSec: plain and floor have no reader to soak',
        describeReceived(o.engines),
      ),
    );
  }
  const batchSize = Math.max(...o.batchSize);
  if (o.samples < batchSize) {
    issues.push(
      validationIssue(
        'bench.samples',
        `at least batchSize (${batchSize}) with durationSec, so every epoch yields a batch`,
        describeReceived(o.samples),
      ),
    );
  }
  if (issues.length > 0) throw new CassdlValidationError(issues, 'bench options');
}

/** Latency runs proxy one node: the drivers would learn other nodes' real addresses and bypass the proxy. */
async function startProxy(c: ConnectionOptions): Promise<LatencyProxy> {
  const [point, ...more] = c.contactPoints;
  if (point === undefined || more.length > 0 || c.cloudConfig !== undefined) {
    throw new CassdlBenchError(
      `--latency-ms proxies a single node: give exactly one --contact-points (got ${c.contactPoints.length || 'a cloud bundle'})`,
    );
  }
  const upstream = /:\d+$/.test(point) && !point.includes('::') ? point : `${point}:${c.port}`;
  return LatencyProxy.start(await ensureToxiproxy(), upstream);
}

function pickRunFields(r: BenchRun): BenchRunFigures {
  return Object.fromEntries(RUN_FIGURE_KEYS.map((key) => [key, r[key]])) as BenchRunFigures;
}
