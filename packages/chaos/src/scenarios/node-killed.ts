import { setTimeout as sleep } from 'node:timers/promises';
import { readEpoch } from '../read-epoch.js';
import { defaultVictim, exactlyOnceVerdict, readerOptions, toResult } from './common.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

export interface NodeKilledOptions {
  /** Node to SIGKILL; default the last one. */
  readonly victim?: string;
  /** Delivered batches before the kill; default 2 (mid-epoch, with requests in flight). */
  readonly killAfterBatches?: number;
  /**
   * How long the victim is frozen (SIGSTOP) before the SIGKILL; default 300 ms.
   * A deep prefetch can hold every request of the window answered by the time
   * the callback runs, and a kill between requests leaves nothing to retry:
   * frozen first while the reading goes on, the node holds the requests sent
   * to it meanwhile, so the kill always lands with rows in flight.
   */
  readonly freezeMs?: number;
}

/**
 * RF=3, one node SIGKILLed mid-epoch: the epoch completes with every id
 * exactly once, the rows in flight to the dead node are retried on the
 * other replicas, and the metrics count those retries. The node stays down
 * afterwards; the runner restarts it.
 */
export function nodeKilledScenario(options: NodeKilledOptions = {}): Scenario {
  return {
    name: 'node-killed',
    description:
      'RF=3, one node SIGKILLed mid-epoch: epoch completes, every id exactly once, retries counted',
    run: (ctx) => runNodeKilled(ctx, options),
  };
}

async function runNodeKilled(
  ctx: ScenarioContext,
  options: NodeKilledOptions,
): Promise<ScenarioResult> {
  const victim = options.victim ?? defaultVictim(ctx);
  const killAfter = options.killAfterBatches ?? 2;
  let killed: Promise<void> | undefined;
  const epoch = await readEpoch({
    reader: readerOptions(ctx, ctx.replicated, {
      requestTimeoutMs: 2000,
      retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 500 },
    }),
    keys: ctx.replicated.keys,
    afterBatch: (delivered) => {
      if (delivered !== killAfter) return;
      ctx.log(`SIGSTOP then SIGKILL ${victim} after ${delivered} batches`);
      ctx.faults.pause(victim);
      // The reading goes on while the node is frozen, so requests reach it.
      killed = sleep(options.freezeMs ?? 300).then(() => ctx.faults.kill(victim));
    },
  });
  await killed;
  const notKilled =
    ctx.faults.condition(victim) !== 'killed'
      ? `${victim} was never killed (epoch too short?)`
      : null;
  return toResult(
    'node-killed',
    ctx,
    epoch,
    notKilled ?? exactlyOnceVerdict(epoch),
    `epoch completed exactly once with ${victim} killed after ${killAfter} batches; ${epoch.retries} retries`,
  );
}
