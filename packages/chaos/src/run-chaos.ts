import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeNative } from '@cassdl/core';
import {
  type LocalCluster,
  startLocalCassandra,
  stopLocalCassandra,
} from '@cassdl/local-cassandra';
import { type ChaosDataset, writeDataset } from './dataset.js';
import { FaultInjector } from './faults/injector.js';
import { type ChaosReport, writeReport } from './report.js';
import { clusterRestartScenario } from './scenarios/cluster-restart.js';
import { noReplicaScenario } from './scenarios/no-replica.js';
import { nodeKilledScenario } from './scenarios/node-killed.js';
import { nodePausedScenario } from './scenarios/node-paused.js';
import type { ChaosEngine, Scenario, ScenarioContext, ScenarioResult } from './scenarios/types.js';

export interface RunChaosOptions {
  /** First of three consecutive loopback addresses; default 127.0.0.61 (so .61-.63). */
  readonly address?: string;
  /** Where report.json goes; default `chaos` in the current folder. */
  readonly outDir?: string;
  /** Rows per table; default 2000. */
  readonly rows?: number;
  /** Bytes per row; default 4096. */
  readonly blobBytes?: number;
  readonly engines?: readonly ChaosEngine[];
  readonly scenarios?: readonly Scenario[];
  readonly onProgress?: (msg: string) => void;
}

export const DEFAULT_CHAOS_ADDRESS = '127.0.0.61';

/** The scenarios `pnpm chaos` runs, in order. */
export function defaultScenarios(): Scenario[] {
  return [
    nodeKilledScenario(),
    nodePausedScenario(),
    noReplicaScenario(),
    clusterRestartScenario(),
  ];
}

/**
 * Starts a fresh 3-node cluster in a temporary folder, writes an RF=3 and an
 * RF=1 table, runs every scenario for every engine in-order and out-of-order
 * (restoring killed and paused nodes in between), writes the report and
 * always stops the cluster and removes its folder.
 */
export async function runChaos(options: RunChaosOptions = {}): Promise<ChaosReport> {
  const log = options.onProgress ?? (() => {});
  const rows = options.rows ?? 2000;
  const blobBytes = options.blobBytes ?? 4096;
  const startedAt = new Date().toISOString();
  const dir = await mkdtemp(join(tmpdir(), 'cassdl-chaos-'));
  try {
    const cluster = await startLocalCassandra({
      nodes: 3,
      address: options.address ?? DEFAULT_CHAOS_ADDRESS,
      dir,
      heap: '512M',
      onProgress: log,
    });
    const native = await nativeNote();
    const results = await runAll(cluster, { ...options, rows, blobBytes, log, native });
    const report: ChaosReport = {
      version: 1,
      startedAt,
      finishedAt: new Date().toISOString(),
      cluster: { nodes: cluster.contactPoints, port: cluster.port },
      dataset: { rows, blobBytes },
      native,
      results,
    };
    await writeReport(options.outDir ?? 'chaos', report);
    return report;
  } finally {
    await stopLocalCassandra({ dir }).catch((e: unknown) =>
      log(`stopping the chaos cluster: ${String(e)}`),
    );
    await rm(dir, { recursive: true, force: true });
  }
}

interface RunAllOptions extends RunChaosOptions {
  readonly rows: number;
  readonly blobBytes: number;
  readonly log: (msg: string) => void;
  readonly native: { available: boolean; note: string };
}

async function runAll(cluster: LocalCluster, o: RunAllOptions): Promise<ScenarioResult[]> {
  const faults = await FaultInjector.capture(cluster);
  const { replicated, single } = await writeDatasets(cluster, o);
  const results: ScenarioResult[] = [];
  const contextFor = (engine: ChaosEngine, ooo: boolean): ScenarioContext => ({
    cluster,
    faults,
    replicated,
    single,
    engine,
    ooo,
    log: o.log,
  });
  const cases = (o.engines ?? (['driver', 'native'] as const)).flatMap((engine) =>
    [false, true].map((ooo) => contextFor(engine, ooo)),
  );
  const runnable = (ctx: ScenarioContext) => ctx.engine !== 'native' || o.native.available;
  for (const scenario of o.scenarios ?? defaultScenarios()) {
    if (scenario.runShared !== undefined) {
      // One fault for every case at once (a whole-cluster restart is too slow to repeat).
      const shared = cases.filter(runnable);
      o.log(`${scenario.name} / ${shared.map(label).join(', ')} (one shared fault)`);
      const ran = await runShared(scenario, shared);
      for (const ctx of cases) {
        const result = runnable(ctx)
          ? (ran[shared.indexOf(ctx)] as ScenarioResult)
          : skipped(scenario, ctx, o.native.note);
        results.push(result);
        o.log(`  ${label(ctx)}: ${result.outcome}: ${result.detail}`);
      }
      await faults.restoreAll();
      continue;
    }
    for (const ctx of cases) {
      o.log(`${scenario.name} / ${label(ctx)}`);
      const result = runnable(ctx)
        ? await runOne(scenario, ctx)
        : skipped(scenario, ctx, o.native.note);
      results.push(result);
      o.log(`  ${result.outcome}: ${result.detail}`);
      await faults.restoreAll();
    }
  }
  return results;
}

function label(ctx: ScenarioContext): string {
  return `${ctx.engine}${ctx.ooo ? ' ooo' : ''}`;
}

/** `runShared`, with a throw turned into a failed row per case like `runOne`. */
async function runShared(
  scenario: Scenario,
  contexts: readonly ScenarioContext[],
): Promise<ScenarioResult[]> {
  if (contexts.length === 0) return [];
  try {
    return (await scenario.runShared?.(contexts)) ?? [];
  } catch (error) {
    return contexts.map((ctx) => ({
      ...skipped(scenario, ctx, `the scenario itself failed: ${String(error)}`),
      outcome: 'fail' as const,
    }));
  }
}

/** A scenario that throws (setup broke, not the promise) is a failure in the report, not a crash of the run. */
async function runOne(scenario: Scenario, ctx: ScenarioContext): Promise<ScenarioResult> {
  try {
    return await scenario.run(ctx);
  } catch (error) {
    return {
      ...skipped(scenario, ctx, `the scenario itself failed: ${String(error)}`),
      outcome: 'fail',
    };
  }
}

function skipped(scenario: Scenario, ctx: ScenarioContext, why: string): ScenarioResult {
  return {
    scenario: scenario.name,
    engine: ctx.engine,
    ooo: ctx.ooo,
    idsExpected: 0,
    delivered: 0,
    duplicated: 0,
    lost: 0,
    wrongRows: 0,
    retries: 0,
    outcome: 'skipped',
    detail: why,
    elapsedMs: 0,
    epochs: 0,
  };
}

async function writeDatasets(
  cluster: LocalCluster,
  o: RunAllOptions,
): Promise<{ replicated: ChaosDataset; single: ChaosDataset }> {
  const connection = {
    contactPoints: cluster.contactPoints,
    port: cluster.port,
    localDataCenter: cluster.localDataCenter,
  };
  o.log(`writing ${o.rows} rows x ${o.blobBytes} B at RF=3 and RF=1`);
  const common = { connection, rows: o.rows, blobBytes: o.blobBytes };
  return {
    replicated: await writeDataset({
      ...common,
      keyspace: 'cassdl_chaos_rf3',
      replicationFactor: 3,
    }),
    single: await writeDataset({ ...common, keyspace: 'cassdl_chaos_rf1', replicationFactor: 1 }),
  };
}

/** Whether the native engine loads; its scenarios are skipped with this note when it does not. */
export async function nativeNote(): Promise<{ available: boolean; note: string }> {
  const probe = await probeNative();
  return probe.available
    ? { available: true, note: `@cassdl/native-io ${probe.version}` }
    : {
        available: false,
        note: `native engine not loaded: ${probe.causes.join('; ')} (fix: ${probe.fix})`,
      };
}
