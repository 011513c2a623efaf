import { readEpoch } from '../read-epoch.js';
import { defaultVictim, exactlyOnceVerdict, readerOptions, toResult } from './common.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

export interface NodePausedOptions {
  readonly victim?: string;
  /** Delivered batches before the SIGSTOP; default 2. */
  readonly pauseAfterBatches?: number;
  /** How long the node stays frozen; default 4 s, well past the request timeout. */
  readonly pauseMs?: number;
  /** Per-request timeout while the node is frozen; default 1 s. */
  readonly requestTimeoutMs?: number;
}

/**
 * A node SIGSTOPped mid-epoch, then SIGCONTed: requests to it get no answer
 * (its sockets stay open), time out after `requestTimeoutMs` and are retried
 * on the other replicas; no batch is lost or repeated.
 */
export function nodePausedScenario(options: NodePausedOptions = {}): Scenario {
  return {
    name: 'node-paused',
    description:
      'RF=3, one node SIGSTOPped then SIGCONTed: timed-out requests retried elsewhere, nothing lost',
    run: (ctx) => runNodePaused(ctx, options),
  };
}

async function runNodePaused(
  ctx: ScenarioContext,
  options: NodePausedOptions,
): Promise<ScenarioResult> {
  const victim = options.victim ?? defaultVictim(ctx);
  const pauseAfter = options.pauseAfterBatches ?? 2;
  const pauseMs = options.pauseMs ?? 4000;
  let timer: NodeJS.Timeout | undefined;
  let resumed: Promise<void> | undefined;
  try {
    const epoch = await readEpoch({
      reader: readerOptions(ctx, ctx.replicated, {
        requestTimeoutMs: options.requestTimeoutMs ?? 1000,
        retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 500 },
      }),
      keys: ctx.replicated.keys,
      afterBatch: (delivered) => {
        if (delivered !== pauseAfter) return;
        ctx.log(`SIGSTOP ${victim} for ${pauseMs} ms after ${delivered} batches`);
        ctx.faults.pause(victim);
        resumed = new Promise((resolve) => {
          timer = setTimeout(() => {
            ctx.log(`SIGCONT ${victim}`);
            ctx.faults.resume(victim);
            resolve();
          }, pauseMs);
        });
      },
    });
    const notPaused =
      resumed === undefined ? `${victim} was never paused (epoch too short?)` : null;
    return toResult(
      'node-paused',
      ctx,
      epoch,
      notPaused ?? exactlyOnceVerdict(epoch),
      `epoch completed exactly once with ${victim} frozen ${pauseMs} ms; ${epoch.retries} retries`,
    );
  } finally {
    // A frozen node must never outlive the scenario, whatever happened.
    clearTimeout(timer);
    ctx.faults.resume(victim);
  }
}
