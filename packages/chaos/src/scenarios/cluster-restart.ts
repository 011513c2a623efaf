import { type EpochOutcome, EpochSession } from '../read-epoch.js';
import { combineEpochs, epochsVerdict, readerOptions, toResult } from './common.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

export interface ClusterRestartOptions {
  /** Per-request timeout; default 2 s. */
  readonly requestTimeoutMs?: number;
}

/**
 * RF=3, every node stopped (SIGTERM, a clean shutdown) and started again on
 * its data between two epochs of the same open reader: the second epoch
 * reconnects by itself and delivers every id exactly once, like the first.
 * The cluster is up again afterwards (the restart is part of the scenario).
 * `runShared` keeps one reader per context open across a single restart.
 */
export function clusterRestartScenario(options: ClusterRestartOptions = {}): Scenario {
  return {
    name: 'cluster-restart',
    description:
      'RF=3, all nodes SIGTERMed and restarted between two epochs of one reader: the second epoch reconnects, every id exactly once',
    run: async (ctx) => (await runClusterRestart([ctx], options))[0] as ScenarioResult,
    runShared: (contexts) => runClusterRestart(contexts, options),
  };
}

const EPOCHS = 2;

type EpochRead = Omit<EpochOutcome, 'closeMs'>;

async function runClusterRestart(
  contexts: readonly ScenarioContext[],
  options: ClusterRestartOptions,
): Promise<ScenarioResult[]> {
  const ctx = contexts[0];
  if (ctx === undefined) return [];
  const nodes = ctx.faults.addresses;
  const sessions: EpochSession[] = [];
  for (const c of contexts) {
    const reader = readerOptions(c, c.replicated, {
      requestTimeoutMs: options.requestTimeoutMs ?? 2000,
      retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 500 },
    });
    sessions.push(await EpochSession.open(reader, c.replicated.keys));
  }
  const outcomes: EpochRead[][] = [];
  for (const session of sessions) outcomes.push([await session.next()]);

  const started = performance.now();
  let restartError: unknown = null;
  try {
    ctx.log(`SIGTERM ${nodes.join(', ')} with ${sessions.length} reader(s) open`);
    // All at once: each drains on its own (about 15 s), and nothing is read meanwhile.
    const stops = await Promise.allSettled(nodes.map((address) => ctx.faults.stop(address)));
    const failed = stops.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    ctx.log('every node stopped; starting them again on their data');
    await ctx.faults.restoreAll();
  } catch (error) {
    restartError = error;
  }
  const restartMs = performance.now() - started;
  ctx.log(`cluster restart took ${Math.round(restartMs / 1000)} s`);

  for (const [i, session] of sessions.entries()) {
    const run = outcomes[i] as EpochRead[];
    if ((run[0] as EpochRead).error !== null) continue;
    run.push(restartError === null ? await session.next() : session.failed(restartError, 0));
  }
  const results: ScenarioResult[] = [];
  for (const [i, session] of sessions.entries()) {
    const { epochs } = await session.close(outcomes[i] as EpochRead[]);
    const c = contexts[i] as ScenarioContext;
    const verdict =
      epochsVerdict(epochs, EPOCHS) ??
      (nodes.every((a) => c.faults.condition(a) === 'up')
        ? null
        : 'the cluster did not come back up between the epochs');
    results.push(
      toResult(
        'cluster-restart',
        c,
        combineEpochs(epochs, EPOCHS),
        verdict,
        `both epochs exactly once on one reader; all ${nodes.length} nodes SIGTERMed and restarted in between (${Math.round(restartMs / 1000)} s); ${epochs[1]?.retries ?? 0} retries in epoch 2`,
        {
          epochs: EPOCHS,
          observed: { restartMs: Math.round(restartMs), retriesEpoch2: epochs[1]?.retries ?? 0 },
        },
      ),
    );
  }
  return results;
}
