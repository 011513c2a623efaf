import { CassandraReader } from '@cassdl/core';
import { startLocalCassandra, stopLocalCassandra } from '@cassdl/local-cassandra';
import { formatUuid, type ReaderOptionsInput } from '@cassdl/schema';
import { type ChaosDataset, countWrongRows, writeDataset } from './dataset.js';
import { FaultInjector } from './faults/index.js';

/**
 * The `ooo` benchmark of issue 12: one epoch in plan order and one with
 * `ooo: true`, each while one replica of a 3-node, RF 3 cluster stops
 * answering for `stallMs` mid-epoch (SIGSTOP then SIGCONT: its sockets stay
 * open and every request sent to it waits, as behind a stalled link), the
 * same reader options otherwise. Reports samples/s of each epoch, their
 * ratio, whether each delivered every id exactly once (and no row under
 * another id), and whether a state saved during the stall in the `ooo`
 * epoch resumes exactly (the ids before it plus those a new reader delivers
 * after `resume()` are the epoch, each once).
 */
export interface OooStallOptions {
  /** First node's address (three consecutive ones are used). */
  readonly address: string;
  /** Cluster folder: a cluster running there is reused; it is stopped at the end either way. */
  readonly dir: string;
  readonly rows: number;
  readonly blobBytes: number;
  readonly batchSize: number;
  /** Batches delivered before the stall begins. */
  readonly stallAfterBatches: number;
  readonly stallMs: number;
  /** Pairs of (in-order, ooo) epochs. */
  readonly rounds: number;
  readonly engine: 'native' | 'driver';
  /** Reader options on top of the defaults, the same for both modes. */
  readonly reader?: Partial<ReaderOptionsInput>;
  readonly log?: (message: string) => void;
  /** Leave the cluster running at the end (default: stop it). */
  readonly keepCluster?: boolean;
}

export interface OooStallRun {
  readonly mode: 'in-order' | 'ooo';
  readonly samples: number;
  readonly wallSec: number;
  readonly samplesPerSec: number;
  readonly exactlyOnce: boolean;
  readonly wrongRows: number;
  readonly retries: number;
  /** Batches delivered while the replica was stalled. */
  readonly batchesDuringStall: number;
}

export interface OooStallReport {
  readonly runs: readonly OooStallRun[];
  /** Each round's ooo samples/s over its in-order samples/s. */
  readonly ratios: readonly number[];
  /** A state taken during the stall of the first ooo epoch resumed exactly once; null when none was taken. */
  readonly resumeExact: boolean | null;
  readonly resumeState: { delivered: number; windowRanges: number; windowRows: number } | null;
}

export async function runOooStall(o: OooStallOptions): Promise<OooStallReport> {
  const log = o.log ?? (() => {});
  const cluster = await startLocalCassandra({
    nodes: 3,
    address: o.address,
    dir: o.dir,
    heap: '512M',
    onProgress: log,
  });
  try {
    const connection = {
      contactPoints: cluster.contactPoints,
      port: cluster.port,
      localDataCenter: cluster.localDataCenter,
    };
    log(`writing ${o.rows} rows of ${o.blobBytes} bytes at RF 3`);
    const dataset = await writeDataset({
      connection,
      keyspace: 'cassdl_ooo_stall',
      replicationFactor: 3,
      rows: o.rows,
      blobBytes: o.blobBytes,
    });
    const faults = await FaultInjector.capture(cluster);
    const victim = faults.addresses.at(-1) as string;
    const base: ReaderOptionsInput = {
      connection,
      table: dataset.table,
      labelType: 'int',
      engine: o.engine,
      batchSize: o.batchSize,
      sourceUuids: dataset.keys,
      seed: 12,
      ...o.reader,
    };
    const runs: OooStallRun[] = [];
    let resume: { state: unknown; before: string[] } | null = null;
    for (let round = 0; round < o.rounds; round++) {
      for (const mode of ['in-order', 'ooo'] as const) {
        const wantState = mode === 'ooo' && resume === null;
        const run = await stalledEpoch(
          { ...base, ooo: mode === 'ooo' },
          dataset,
          faults,
          victim,
          o,
          wantState,
        );
        log(
          `${mode}: ${run.result.samplesPerSec.toFixed(0)} samples/s, exactly once ${run.result.exactlyOnce}`,
        );
        runs.push(run.result);
        if (run.saved !== null) resume = run.saved;
      }
    }
    let resumeExact: boolean | null = null;
    let resumeState: OooStallReport['resumeState'] = null;
    if (resume !== null) {
      const state = resume.state as { delivered: number; window: [number, number][] };
      resumeState = {
        delivered: state.delivered,
        windowRanges: state.window.length,
        windowRows: state.window.reduce((t, [s, e]) => t + e - s, 0),
      };
      const after = await resumedRest({ ...base, ooo: true }, state);
      resumeExact = sameMultiset([...resume.before, ...after], dataset.ids);
    }
    const ratios = Array.from({ length: o.rounds }, (_, r) => {
      const [inOrder, ooo] = [runs[2 * r], runs[2 * r + 1]];
      return (ooo?.samplesPerSec ?? 0) / (inOrder?.samplesPerSec ?? 1);
    });
    return { runs, ratios, resumeExact, resumeState };
  } finally {
    if (o.keepCluster !== true)
      await stopLocalCassandra({ dir: o.dir }).catch((e: unknown) => log(`stopping: ${String(e)}`));
  }
}

/** One epoch with the victim stalled after `stallAfterBatches`; optionally the state (and ids so far) taken mid-stall. */
async function stalledEpoch(
  options: ReaderOptionsInput,
  dataset: ChaosDataset,
  faults: FaultInjector,
  victim: string,
  o: OooStallOptions,
  wantState: boolean,
): Promise<{ result: OooStallRun; saved: { state: unknown; before: string[] } | null }> {
  const reader = await CassandraReader.open(options);
  const ids: string[] = [];
  let wrongRows = 0;
  let batches = 0;
  let thawed: Promise<void> | null = null;
  let duringStall = 0;
  let saved: { state: unknown; before: string[] } | null = null;
  let timer: NodeJS.Timeout | undefined;
  const retriesBefore = reader.metrics().retries;
  try {
    const started = performance.now();
    for await (const batch of reader.epoch()) {
      wrongRows += countWrongRows(batch);
      for (let i = 0; i < batch.size - batch.padding; i++) ids.push(formatUuid(batch.ids, i * 16));
      batches++;
      if (thawed !== null && faults.condition(victim) === 'paused') duringStall++;
      // Mid-window: the ooo epoch's state at the first batch after the stall began
      // that leaves rows delivered past the prefix (else the first after the stall).
      if (wantState && saved === null && thawed !== null) {
        const state = reader.state();
        if (state.window.length > 0 || faults.condition(victim) !== 'paused')
          saved = { state: JSON.parse(JSON.stringify(state)), before: [...ids] };
      }
      if (batches === o.stallAfterBatches) {
        faults.pause(victim);
        thawed = new Promise((resolve) => {
          timer = setTimeout(() => {
            faults.resume(victim);
            resolve();
          }, o.stallMs);
        });
      }
    }
    const wallSec = (performance.now() - started) / 1000;
    const result: OooStallRun = {
      mode: options.ooo === true ? 'ooo' : 'in-order',
      samples: ids.length,
      wallSec,
      samplesPerSec: ids.length / wallSec,
      exactlyOnce: sameMultiset(ids, dataset.ids),
      wrongRows,
      retries: reader.metrics().retries - retriesBefore,
      batchesDuringStall: duringStall,
    };
    await thawed; // the next epoch starts with every node awake
    return { result, saved };
  } finally {
    clearTimeout(timer);
    faults.resume(victim);
    await reader.close();
  }
}

async function resumedRest(options: ReaderOptionsInput, state: unknown): Promise<string[]> {
  const reader = await CassandraReader.open(options);
  try {
    reader.resume(state as never);
    const ids: string[] = [];
    for await (const batch of reader.epoch())
      for (let i = 0; i < batch.size - batch.padding; i++) ids.push(formatUuid(batch.ids, i * 16));
    return ids;
  } finally {
    await reader.close();
  }
}

/** `a` holds exactly the ids of `b`, each as often. */
function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((id, i) => id === y[i]);
}
