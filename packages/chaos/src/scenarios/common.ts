import type { ReaderOptionsInput } from '@cassdl/schema';
import type { ChaosDataset } from '../dataset.js';
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

/** Turns an epoch outcome into a report row; `verdict` is null for a pass, else why it failed. */
export function toResult(
  scenario: string,
  ctx: ScenarioContext,
  epoch: EpochOutcome,
  verdict: string | null,
  passDetail: string,
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
