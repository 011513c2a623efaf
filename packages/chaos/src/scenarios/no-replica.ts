import { CassdlNoReplicaError } from '@cassdl/core';
import { formatUuid } from '@cassdl/schema';
import { keysOwnedBy } from '../owners.js';
import { readEpoch } from '../read-epoch.js';
import { defaultVictim, readerOptions, toResult } from './common.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

export interface NoReplicaOptions {
  readonly victim?: string;
  /** How many of the victim's rows to ask for; default 100. */
  readonly rows?: number;
  /** The longest `close()` may take after the failure; default 5 s. */
  readonly closeWithinMs?: number;
}

/**
 * RF=1 and the node owning the rows down: once the retry budget is spent the
 * epoch fails with a `CassdlNoReplicaError` naming one of the asked ids and
 * every host tried, and `close()` still returns promptly.
 */
export function noReplicaScenario(options: NoReplicaOptions = {}): Scenario {
  return {
    name: 'no-replica',
    description:
      'RF=1, the owning node down: typed CassdlNoReplicaError naming the id and hosts tried; prompt close()',
    run: (ctx) => runNoReplica(ctx, options),
  };
}

async function runNoReplica(
  ctx: ScenarioContext,
  options: NoReplicaOptions,
): Promise<ScenarioResult> {
  const victim = options.victim ?? defaultVictim(ctx);
  const closeWithinMs = options.closeWithinMs ?? 5000;
  const reader = readerOptions(ctx, ctx.single, {
    requestTimeoutMs: 1000,
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
  });
  const keys = await keysOwnedBy(reader.connection ?? {}, ctx.single, victim, options.rows ?? 100);
  if (keys.length === 0) throw new Error(`no row of ${ctx.single.table} lives on ${victim}`);
  if (ctx.faults.condition(victim) !== 'killed') {
    ctx.log(`SIGKILL ${victim}, the only replica of ${keys.length / 16} rows`);
    await ctx.faults.kill(victim);
  }
  const epoch = await readEpoch({ reader, keys });
  const asked = new Set(
    Array.from({ length: keys.length / 16 }, (_, i) => formatUuid(keys, i * 16)),
  );
  const verdict = judge(epoch.error, asked, epoch.closeMs, closeWithinMs);
  return toResult(
    'no-replica',
    ctx,
    epoch,
    verdict,
    `CassdlNoReplicaError after the retry budget; close() took ${Math.round(epoch.closeMs)} ms`,
  );
}

function judge(
  error: unknown,
  asked: ReadonlySet<string>,
  closeMs: number,
  closeWithinMs: number,
): string | null {
  if (!(error instanceof CassdlNoReplicaError)) {
    const got =
      error === null
        ? 'the epoch completed'
        : `got ${(error as Error).name ?? typeof error}: ${String((error as Error).message ?? error).split('\n')[0]}`;
    return `expected CassdlNoReplicaError, ${got}`;
  }
  if (!asked.has(error.id)) return `the error names ${error.id}, which was not asked for`;
  if (error.attempts.length === 0) return 'the error names no host tried';
  if (closeMs > closeWithinMs)
    return `close() took ${Math.round(closeMs)} ms (limit ${closeWithinMs} ms)`;
  return null;
}
