import type { ReaderOptionsInput } from '@cassdl/schema';
import type { ChaosDataset } from '../dataset.js';
import type { NodeEndpoint } from '../faults/wait-node.js';
import { describeError, type EpochOutcome } from '../read-epoch.js';
import type { ScenarioContext, ScenarioResult } from './types.js';

/** Reader options every scenario starts from: small batches so a fault lands mid-epoch. */
export function readerOptions(
  ctx: ScenarioContext,
  dataset: ChaosDataset,
  overrides: Partial<ReaderOptionsInput> = {},
): ReaderOptionsInput {
  return {
    connection: {
      contactPoints: ctx.cluster.contactPoints,
      port: ctx.cluster.port,
      localDataCenter: ctx.cluster.localDataCenter,
    },
    table: dataset.table,
    labelType: 'int',
    engine: ctx.engine,
    ooo: ctx.ooo,
    batchSize: 50,
    prefetchBuffers: 4,
    inflight: 128,
    seed: 8,
    ...overrides,
  };
}

/** The victim of a scenario: the last node, so the first (the driver's usual control host) stays up. */
export function defaultVictim(ctx: ScenarioContext): string {
  const victim = ctx.faults.addresses.at(-1);
  if (victim === undefined) throw new Error('the cluster has no nodes');
  return victim;
}

/**
 * Turns an epoch outcome into a report row; `verdict` is null for a pass,
 * else why it failed. `epochs` and `observed` come from multi-epoch scenarios.
 */
export function toResult(
  scenario: string,
  ctx: ScenarioContext,
  epoch: EpochOutcome,
  verdict: string | null,
  passDetail: string,
  extra: { epochs?: number; observed?: Record<string, number> } = {},
): ScenarioResult {
  const error = describeError(epoch.error);
  return {
    scenario,
    engine: ctx.engine,
    ooo: ctx.ooo,
    idsExpected: epoch.ledger.expected,
    delivered: epoch.ledger.delivered,
    duplicated: epoch.ledger.duplicated,
    lost: epoch.ledger.lost,
    wrongRows: epoch.wrongRows,
    retries: epoch.retries,
    outcome: verdict === null ? 'pass' : 'fail',
    detail: verdict ?? passDetail,
    elapsedMs: Math.round(epoch.elapsedMs),
    epochs: extra.epochs ?? 1,
    ...(extra.observed === undefined ? {} : { observed: extra.observed }),
    ...(error === undefined ? {} : { error }),
  };
}

/** Why an epoch that should have completed exactly once did not, or null when it did. */
export function exactlyOnceVerdict(epoch: EpochOutcome): string | null {
  if (epoch.error !== null) {
    return `the epoch failed: ${describeError(epoch.error)?.message.split('\n')[0] ?? 'unknown error'}`;
  }
  const l = epoch.ledger;
  if (!l.exactlyOnce) {
    return `not exactly once: ${l.lost} lost, ${l.duplicated} duplicated, ${l.unexpected} unexpected of ${l.expected}`;
  }
  if (epoch.wrongRows > 0) return `${epoch.wrongRows} rows carried another row's bytes`;
  return null;
}

/**
 * Several epochs of one reader as one outcome for the report: counts added
 * up, an epoch that never ran counted as all lost (so `expected` is always
 * `epochs` x the ids), the error the run ended with.
 */
export function combineEpochs(outcomes: readonly EpochOutcome[], epochs: number): EpochOutcome {
  const first = outcomes[0];
  if (first === undefined) throw new Error('no epoch outcome to combine');
  const perEpoch = first.ledger.expected;
  const sum = (f: (o: EpochOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  const notRun = (epochs - outcomes.length) * perEpoch;
  return {
    ledger: {
      expected: perEpoch * epochs,
      delivered: sum((o) => o.ledger.delivered),
      duplicated: sum((o) => o.ledger.duplicated),
      lost: sum((o) => o.ledger.lost) + notRun,
      unexpected: sum((o) => o.ledger.unexpected),
      exactlyOnce: outcomes.length === epochs && outcomes.every((o) => o.ledger.exactlyOnce),
    },
    wrongRows: sum((o) => o.wrongRows),
    retries: sum((o) => o.retries),
    batches: sum((o) => o.batches),
    error: outcomes.at(-1)?.error ?? null,
    closeMs: first.closeMs,
    elapsedMs: sum((o) => o.elapsedMs),
  };
}

/** Why a multi-epoch run is not exactly once in every epoch, naming the epoch; null when it is. */
export function epochsVerdict(outcomes: readonly EpochOutcome[], epochs: number): string | null {
  for (const [i, o] of outcomes.entries()) {
    const why = exactlyOnceVerdict(o);
    if (why !== null) return `epoch ${i + 1} of ${epochs}: ${why}`;
  }
  return outcomes.length < epochs ? `only ${outcomes.length} of ${epochs} epochs ran` : null;
}

/** Where a node of the scenario's cluster answers CQL (for node-local queries). */
export function endpointOf(ctx: ScenarioContext, address: string): NodeEndpoint {
  return { address, port: ctx.cluster.port, localDataCenter: ctx.cluster.localDataCenter };
}
