import { readdirSync, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeNative } from '@cassdl/core';
import { measure } from './measure.js';
import { type BenchRun, median, NO_READER_FIGURES, type ReaderFigures } from './report.js';
import {
  benchRun,
  openBenchReader,
  type ReadTally,
  type RunSettings,
  readBatches,
  readerFigures,
} from './runs.js';

/** Open file descriptors, sockets among them, and threads of this process. */
export interface ProcessResources {
  readonly fds: number;
  readonly sockets: number;
  readonly threads: number;
}

/** What a soak adds to a run's figures (`cassdl bench --duration`). */
export interface SoakFigures {
  /** Seconds the engine read for (the `--duration`). */
  readonly durationSec: number;
  /** Epochs completed in that time. */
  readonly epochs: number;
  /** Seconds counted as warm-up: the first 40% of the duration, or the first epoch when longer (at most 60%). */
  readonly warmupSec: number;
  /** Median RSS over the 20% of the duration right after warm-up. */
  readonly rssAfterWarmupBytes: number;
  /** Median RSS over the last 20% of the duration, before `close()`. */
  readonly rssEndBytes: number;
  /** `rssEndBytes / rssAfterWarmupBytes - 1`: 0.05 is 5% growth after warm-up. */
  readonly rssGrowth: number;
  /**
   * File descriptors, sockets and threads open after `reader.close()` minus
   * those open before the reader opened (0 each: nothing leaked). Null where
   * `/proc/self` does not exist (not Linux).
   */
  readonly leaks: ProcessResources | null;
}

export interface SoakTick {
  readonly elapsedSec: number;
  readonly epochs: number;
  readonly rssBytes: number;
}

export interface SoakSettings extends RunSettings {
  readonly durationSec: number;
  /** Called after each one-second RSS sample. */
  readonly onTick?: (tick: SoakTick) => void;
}

/** RSS sample period. */
const SAMPLE_MS = 1000;
/**
 * Share of the duration that is warm-up, unless the first epoch takes longer.
 * RSS follows throughput (V8 grows its young generation with the allocation
 * rate; more batches wait for a collection to return their buffers), and
 * throughput climbs for a minute or more on a freshly started Cassandra:
 * native RSS rose 145 -> 173 MiB over 75 s while reads per second rose
 * fivefold, then held within 1% (heapUsed and external flat throughout).
 * With a 20% warm-up and 10% windows that settling fell inside a 60 s soak's
 * comparison (9-14%); with 40% and 20% every 60 s stretch of those
 * runs measured under 3%, either engine.
 */
const WARMUP_SHARE = 0.4;
/** Width of the windows whose median RSS is compared, as a share of the duration: wide enough for GC swings. */
const WINDOW_SHARE = 0.2;
/** How long `close()` may take to let its sockets and threads go before leaks are counted. */
const SETTLE_MS = 5000;

/**
 * Reads epochs (`loopForever`) with one reader engine until `durationSec`
 * has passed, sampling RSS every second, then closes the reader and counts
 * what it left open. Memory that grows after warm-up, or sockets, file
 * descriptors and threads that outlive `close()`, are what a long training
 * run would trip over.
 */
export async function runSoak(
  engine: 'native' | 'driver',
  s: SoakSettings,
): Promise<{ run: BenchRun; soak: SoakFigures }> {
  // Start what lives for the whole process before counting: the libuv pool
  // (started by the first file system call) and, for native, the addon.
  await stat(process.cwd());
  if (engine === 'native') await probeNative();
  const before = await settledResources();
  const reader = await openBenchReader(engine, s, { loopForever: true });
  const durationMs = s.durationSec * 1000;
  const rss: { t: number; bytes: number }[] = [];
  let started = performance.now();
  const sample = () => {
    const t = performance.now() - started;
    const bytes = process.memoryUsage.rss();
    rss.push({ t, bytes });
    return { t, bytes };
  };
  let epochs = 0;
  let sampler: NodeJS.Timeout | undefined;
  let measured: Awaited<ReturnType<typeof measure<ReadTally>>>;
  let figures: ReaderFigures = NO_READER_FIGURES;
  try {
    measured = await measure(async (): Promise<ReadTally> => {
      started = performance.now();
      sampler = setInterval(() => {
        const { t, bytes } = sample();
        s.onTick?.({ elapsedSec: t / 1000, epochs, rssBytes: bytes });
      }, SAMPLE_MS);
      const tally = await readBatches(reader, reader, s.consumerMs, (elapsed, done) => {
        epochs = done;
        return elapsed >= durationMs;
      });
      sample();
      figures = readerFigures(reader, []);
      return tally;
    });
  } finally {
    clearInterval(sampler);
    await reader.close();
  }
  const leaks = await leaksSince(before);
  const { result, cost } = measured;
  const warmupMs = Math.min(
    Math.max(WARMUP_SHARE * durationMs, result.firstEpochMs ?? 0),
    durationMs * (1 - 2 * WINDOW_SHARE),
  );
  const windowMs = WINDOW_SHARE * durationMs;
  const rssAfterWarmupBytes = medianIn(rss, warmupMs, warmupMs + windowMs, 'first');
  const rssEndBytes = medianIn(rss, durationMs - windowMs, Number.POSITIVE_INFINITY, 'last');
  return {
    run: benchRun(engine, s.latencyMs, result, cost, s.batchSize, figures),
    soak: {
      durationSec: s.durationSec,
      epochs: result.epochs,
      warmupSec: warmupMs / 1000,
      rssAfterWarmupBytes,
      rssEndBytes,
      rssGrowth: rssEndBytes / rssAfterWarmupBytes - 1,
      leaks,
    },
  };
}

/**
 * Open file descriptors (`/proc/self/fd`), the sockets among them (links
 * reading `socket:[inode]`) and threads (`/proc/self/task`); null off Linux.
 */
export function processResources(): ProcessResources | null {
  let fds: string[];
  let threads: number;
  try {
    fds = readdirSync('/proc/self/fd');
    threads = readdirSync('/proc/self/task').length;
  } catch {
    return null;
  }
  let sockets = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:[')) sockets++;
    } catch {
      // Closed between the listing and the read (the listing's own directory handle, for one).
    }
  }
  return { fds: fds.length, sockets, threads };
}

/** The counts after a short pause (what `close()` of an earlier run started has finished). */
async function settledResources(): Promise<ProcessResources | null> {
  await sleep(200);
  return processResources();
}

/**
 * What is open beyond `before`: waits up to `SETTLE_MS` for the counts to
 * fall back (sockets close and threads end asynchronously after `close()`).
 */
async function leaksSince(before: ProcessResources | null): Promise<ProcessResources | null> {
  if (before === null) return null;
  const deadline = performance.now() + SETTLE_MS;
  for (;;) {
    await sleep(100);
    const now = processResources();
    if (now === null) return null;
    const extra = {
      fds: now.fds - before.fds,
      sockets: now.sockets - before.sockets,
      threads: now.threads - before.threads,
    };
    const clean = extra.fds <= 0 && extra.sockets <= 0 && extra.threads <= 0;
    if (clean || performance.now() > deadline) return extra;
  }
}

/** Median of the samples with `from <= t < to`; when none fall there, the first sample after `from` (or the last one). */
function medianIn(
  samples: readonly { t: number; bytes: number }[],
  from: number,
  to: number,
  fallback: 'first' | 'last',
): number {
  const inside = samples.filter((x) => x.t >= from && x.t < to).map((x) => x.bytes);
  if (inside.length > 0) return median(inside);
  const pick =
    fallback === 'first' ? (samples.find((x) => x.t >= from) ?? samples.at(-1)) : samples.at(-1);
  return pick?.bytes ?? process.memoryUsage.rss();
}
