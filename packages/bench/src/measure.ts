import { readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What one measured run used, in the field names of `cassdl bench --json`. */
export interface RunCost {
  readonly wallSec: number;
  /** User + system CPU of the whole process (worker threads included). */
  readonly clientCpuSec: number;
  /**
   * CPU of the main thread alone (the training thread's cost): from
   * `/proc/self/task/<pid>/stat` on Linux (10 ms resolution), else the event
   * loop's busy time, which overstates it when the machine is contended.
   */
  readonly mainThreadCpuSec: number;
  readonly peakRssBytes: number;
  /** Time V8 spent in garbage collection (PerformanceObserver 'gc' entries, all kinds). */
  readonly gcSec: number;
}

/**
 * Runs `work` and measures it: wall time, process CPU (`process.cpuUsage`,
 * which counts every thread), main-thread busy time
 * (`performance.eventLoopUtilization().active`), and peak RSS sampled every
 * 20 ms (`maxRSS` cannot be reset between runs). The heap is collected
 * first, so a run neither pays for the garbage of the run before it (a
 * plain loop leaves 1-2 GB of driver Buffers behind) nor counts it in its RSS.
 */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; cost: RunCost }> {
  collectGarbage();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuSec();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  try {
    const result = await work();
    const wallSec = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const busy = performance.eventLoopUtilization(elu);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return {
      result,
      cost: {
        wallSec,
        clientCpuSec: (used.user + used.system) / 1e6,
        mainThreadCpuSec:
          mainCpu === null ? busy.active / 1000 : (mainThreadCpuSec() ?? 0) - mainCpu,
        peakRssBytes: peakRss,
        gcSec: (gcMs + pendingGcMs(gc)) / 1000,
      },
    };
  } finally {
    clearInterval(sampler);
    gc.disconnect();
  }
}

/**
 * A full collection, twice (the first one's finalizers free external
 * memory the second one returns), without needing `--expose-gc` on the
 * command line.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/** Entries recorded but not yet delivered to the observer's callback. */
function pendingGcMs(observer: PerformanceObserver): number {
  return observer.takeRecords().reduce((sum, entry) => sum + entry.duration, 0);
}

/** User + system CPU seconds of the main thread (its task id is the process id), or null off Linux. */
function mainThreadCpuSec(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SEC : null;
  } catch {
    return null;
  }
}

/** `sysconf(_SC_CLK_TCK)`: 100 on every Linux Node supports. */
const CLOCK_TICKS_PER_SEC = 100;
