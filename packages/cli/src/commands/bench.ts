import { writeFile } from 'node:fs/promises';
import {
  BENCH_ENGINES,
  type BenchOptions,
  type BenchProgress,
  type BenchResults,
  type BenchRunResult,
  runBench,
} from '@cassdl/bench';
import type { Command } from 'commander';
import {
  addConnectionFlags,
  CONNECTION_FLAG_NAMES,
  type ConnectionFlags,
  connectionFromFlags,
} from '../ui/connection-flags.js';
import { readDaliOptionsFile } from '../ui/dali-options.js';
import { formatBytes } from '../ui/format.js';
import { type CliIo, processIo } from '../ui/io.js';
import { autoOrIntFlag, choiceListFlag, intFlag, intListFlag } from '../ui/parse.js';
import { createProgressBar, type ProgressBar } from '../ui/progress.js';
import { runAction } from '../ui/run-action.js';
import { barChartSvg } from '../ui/svg-plot.js';
import { formatTable } from '../ui/table.js';

interface BenchFlags extends ConnectionFlags {
  keyspace: string;
  samples: string;
  blobSize: string;
  engine?: string;
  latencyMs?: string;
  batchSize: string;
  prefetch: string;
  inflight: string;
  memoryBudget: string;
  connectionsPerHost: string;
  consumerMs: string;
  duration?: string;
  json?: string;
  plot?: string;
  daliOptions?: string;
}

/** `cassdl bench`. */
export function registerBenchCommand(program: Command, io: CliIo = processIo()): void {
  addConnectionFlags(program.command('bench'))
    .description(
      'read a synthetic dataset with each engine (and added latency); table, JSON, SVG plot',
    )
    .option(
      '--keyspace <name>',
      'keyspace of the synthetic dataset (made once, reused)',
      'cassdl_bench',
    )
    .option('--samples <n>', 'rows in the dataset', '10000')
    .option('--blob-size <bytes>', 'bytes per row', '110000')
    .option('--engine <list>', `comma list of ${BENCH_ENGINES.join(', ')} (default: all that load)`)
    .option(
      '--latency-ms <list>',
      'added round trips through Toxiproxy, e.g. 0,50,200 (default: direct)',
    )
    .option(
      '--batch-size <list>',
      'rows per batch, or a comma list (each runs every latency)',
      '128',
    )
    .option(
      '--prefetch <n|auto>',
      "batches read ahead at most (the reader's prefetchBuffers; auto: its controller decides)",
      'auto',
    )
    .option(
      '--inflight <n|auto>',
      "row requests in flight at most (the reader's inflight; auto: its controller decides)",
      'auto',
    )
    .option(
      '--memory-budget <bytes|auto>',
      "the reader's memoryBudget, e.g. 512MiB (auto: the lesser of 1 GiB and a quarter of memory)",
      'auto',
    )
    .option(
      '--connections-per-host <n|auto>',
      "the reader's connectionsPerHost, and the plain loop's (auto: each engine its own)",
      'auto',
    )
    .option('--consumer-ms <n>', 'simulated work per batch (ms)', '0')
    .option(
      '--duration <seconds>',
      'soak: each reader engine reads epochs for this long (600 is the benchmark soak); ' +
        'reports RSS growth after warm-up and fds, sockets and threads left after close',
    )
    .option(
      '--dali-options <file.json>',
      'cassandra-dali-plugin reader arguments (snake_case JSON): their connection, batch_size, prefetch_buffers and thread knobs, as fromDaliOptions maps them; flags given explicitly win',
    )
    .option('--json <file>', 'write the results as JSON')
    .option('--plot <file.svg>', 'write samples/s per engine and latency as an SVG bar chart')
    .action((flags: BenchFlags, command: Command) =>
      runAction(io, 'bench', async () => {
        const dali = await daliTuning(flags, command, io);
        const progress = benchProgress(io);
        const results = await runBench({
          connection: connectionFromFlags(flags, io.env),
          keyspace: flags.keyspace,
          samples: intFlag('samples', flags.samples, 1),
          blobSize: intFlag('blob-size', flags.blobSize, 1),
          ...(flags.engine !== undefined
            ? { engines: choiceListFlag('engine', flags.engine, BENCH_ENGINES) }
            : {}),
          ...(flags.latencyMs !== undefined
            ? { latencyMs: intListFlag('latency-ms', flags.latencyMs) }
            : {}),
          batchSize: intListFlag('batch-size', flags.batchSize, 1),
          prefetch: autoOrIntFlag('prefetch', flags.prefetch, 1),
          inflight: autoOrIntFlag('inflight', flags.inflight, 1),
          memoryBudget: flags.memoryBudget,
          connectionsPerHost: autoOrIntFlag('connections-per-host', flags.connectionsPerHost, 1),
          consumerMs: intFlag('consumer-ms', flags.consumerMs),
          ...(flags.duration !== undefined
            ? { durationSec: intFlag('duration', flags.duration, 1) }
            : {}),
          ...dali,
          onProgress: progress.onProgress,
        }).finally(progress.finish);
        io.out(resultsTable(results.runs));
        if (results.runs.some((r) => r.rssGrowth !== undefined)) io.out(soakTable(results.runs));
        if (flags.json !== undefined) {
          await writeFile(flags.json, `${JSON.stringify(results, null, 2)}\n`);
          io.out(`wrote ${flags.json}\n`);
        }
        if (flags.plot !== undefined) {
          await writeFile(flags.plot, benchPlot(results));
          io.out(`wrote ${flags.plot}\n`);
        }
      }),
    );
}

/** Reader flags a `--dali-options` file may set, by commander's option name. */
const DALI_TUNED = ['batchSize', 'prefetch', 'inflight', 'connectionsPerHost'] as const;

/**
 * What a `--dali-options` file sets for the bench: its connection (unless a
 * connection flag is given on the command line; `CASSDL_*` variables do not
 * override the file) and the reader tuning it maps to, except where a flag was
 * given on the command line.
 */
async function daliTuning(
  flags: BenchFlags,
  command: Command,
  io: CliIo,
): Promise<
  Partial<
    Pick<BenchOptions, 'connection' | 'batchSize' | 'prefetch' | 'inflight' | 'connectionsPerHost'>
  >
> {
  if (flags.daliOptions === undefined) return {};
  const { options, connection } = await readDaliOptionsFile(flags.daliOptions, io);
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  const mapped: Record<(typeof DALI_TUNED)[number], unknown> = {
    batchSize: options.batchSize,
    prefetch: options.prefetchBuffers,
    inflight: options.inflight,
    connectionsPerHost: options.connectionsPerHost,
  };
  const tuning: Record<string, unknown> = {};
  for (const name of DALI_TUNED) {
    if (!given(name) && mapped[name] !== undefined) tuning[name] = mapped[name];
  }
  const connectionGiven = [...CONNECTION_FLAG_NAMES].some(given);
  return { ...tuning, ...(connectionGiven ? {} : { connection }) };
}

function benchProgress(io: CliIo) {
  let bar: ProgressBar | null = null;
  let soakLine = Number.NEGATIVE_INFINITY;
  const onProgress = (e: BenchProgress) => {
    if (e.phase === 'soak') {
      // A line every 10 s: a soak is long and its figure is memory over time, not a count.
      if (e.elapsedSec - soakLine < SOAK_LINE_SEC) return;
      soakLine = e.elapsedSec;
      io.err(
        `soak ${e.engine}: ${e.elapsedSec.toFixed(0)}/${e.durationSec} s, ${e.epochs} epochs, RSS ${formatBytes(e.rssBytes)}\n`,
      );
      return;
    }
    if (e.phase === 'dataset') {
      bar ??= createProgressBar(io, 'writing bench dataset', e.total);
      bar.update(e.written, e.total);
    } else if (e.phase === 'run') {
      bar?.finish();
      bar = null;
      soakLine = Number.NEGATIVE_INFINITY;
      const batch = e.batchSize == null ? '' : `, batch ${e.batchSize}`;
      io.err(`run ${e.index + 1}/${e.count}: ${e.engine}${batch}, ${latencyText(e.latencyMs)}\n`);
    }
  };
  return { onProgress, finish: () => bar?.finish() };
}

const SOAK_LINE_SEC = 10;

function latencyText(ms: number | null): string {
  return ms === null ? 'direct' : `+${ms} ms (proxied)`;
}

/** One row per run: the figures worth comparing side by side. */
export function resultsTable(runs: readonly BenchRunResult[]): string {
  return formatTable(
    [
      'engine',
      'batch',
      'latency',
      'samples/s',
      'vs +0',
      't90',
      'inflight/prefetch (why)',
      'RTT p50/p99',
      'MB/s',
      'cpu s/1k',
      'cpu s/GB',
      'gc',
      'stall',
      'peak RSS / budget',
    ],
    runs.map((r) => [
      r.engine,
      r.batchSize === null ? '-' : String(r.batchSize),
      latencyText(r.latencyMs),
      r.samplesPerSec.toFixed(0),
      r.vsZeroMs === null ? '-' : `${(r.vsZeroMs * 100).toFixed(0)}%`,
      r.t90Sec === null ? '-' : `${r.t90Sec.toFixed(1)} s`,
      r.inflightTarget === null
        ? '-'
        : `${r.inflightTarget}/${r.prefetchTarget} (${r.controllerReason})`,
      r.rttP50Ms === null ? '-' : `${r.rttP50Ms.toFixed(0)}/${(r.rttP99Ms ?? 0).toFixed(0)} ms`,
      (r.bytesPerSec / 1e6).toFixed(1),
      r.cpuSecPer1kSamples.toFixed(3),
      r.bytes > 0 ? ((r.clientCpuSec * 1e9) / r.bytes).toFixed(3) : '-',
      r.clientCpuSec > 0 ? `${((r.gcSec / r.clientCpuSec) * 100).toFixed(1)}%` : '-',
      r.stallFraction === null ? '-' : `${(r.stallFraction * 100).toFixed(0)}%`,
      r.memoryBudgetBytes === null
        ? formatBytes(r.peakRssBytes)
        : `${formatBytes(r.peakRssBytes)} / ${formatBytes(r.memoryBudgetBytes)}`,
    ]),
  );
}

/** One row per soak run: memory after warm-up and at the end, and what close() left open. */
export function soakTable(runs: readonly BenchRunResult[]): string {
  const soaks = runs.filter((r) => r.rssGrowth !== undefined);
  return formatTable(
    [
      'engine',
      'latency',
      'duration',
      'epochs',
      'warm-up',
      'RSS after warm-up',
      'RSS end',
      'growth',
      'leaked fds',
      'sockets',
      'threads',
    ],
    soaks.map((r) => [
      r.engine,
      latencyText(r.latencyMs),
      `${r.durationSec} s`,
      String(r.epochs),
      `${(r.warmupSec ?? 0).toFixed(0)} s`,
      formatBytes(r.rssAfterWarmupBytes ?? 0),
      formatBytes(r.rssEndBytes ?? 0),
      `${((r.rssGrowth ?? 0) * 100).toFixed(1)}%`,
      r.leaks ? String(r.leaks.fds) : '-',
      r.leaks ? String(r.leaks.sockets) : '-',
      r.leaks ? String(r.leaks.threads) : '-',
    ]),
  );
}

/** Samples/s, grouped by latency, one bar per engine. */
export function benchPlot(results: BenchResults): string {
  const bars = results.runs.map((r) => ({
    group: r.latencyMs === null ? 'direct' : `+${r.latencyMs} ms`,
    series: r.engine,
    value: r.samplesPerSec,
  }));
  const size = results.runs[0];
  const title = `cassdl bench: samples/s${size === undefined ? '' : ` (${size.samples} x ${formatBytes(size.bytes / Math.max(1, size.samples))})`}`;
  return barChartSvg(title, 'samples per second', bars);
}
