import { coordinatorReads, settledCoordinatorReads } from '../faults/node-reads.js';
import { readEpochs } from '../read-epoch.js';
import {
  combineEpochs,
  defaultVictim,
  endpointOf,
  epochsVerdict,
  readerOptions,
  toResult,
} from './common.js';
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
 * A node SIGSTOPped mid-epoch, then SIGCONTed, and a second epoch with the
 * same reader: requests to the frozen node get no answer (its sockets stay
 * open), time out after `requestTimeoutMs` and are retried on the other
 * replicas, so the first epoch still delivers every id exactly once; the
 * second one does too, and sends reads to the recovered node again (counted
 * by the node itself: `system_views.coordinator_read_latency`, since neither
 * engine reports per-host counters).
 */
export function nodePausedScenario(options: NodePausedOptions = {}): Scenario {
  return {
    name: 'node-paused',
    description:
      'RF=3, one node SIGSTOPped then SIGCONTed mid-epoch: timed-out requests retried elsewhere, nothing lost; the next epoch reads from the node again',
    run: (ctx) => runNodePaused(ctx, options),
  };
}

const EPOCHS = 2;

async function runNodePaused(
  ctx: ScenarioContext,
  options: NodePausedOptions,
): Promise<ScenarioResult> {
  const victim = options.victim ?? defaultVictim(ctx);
  const pauseAfter = options.pauseAfterBatches ?? 2;
  const pauseMs = options.pauseMs ?? 4000;
  const node = endpointOf(ctx, victim);
  const { keyspace } = ctx.replicated;
  let timer: NodeJS.Timeout | undefined;
  let resumed: Promise<void> | undefined;
  let readsBefore = 0;
  try {
    const run = await readEpochs({
      reader: readerOptions(ctx, ctx.replicated, {
        requestTimeoutMs: options.requestTimeoutMs ?? 1000,
        retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 500 },
      }),
      keys: ctx.replicated.keys,
      epochs: EPOCHS,
      afterBatch: (epoch, delivered) => {
        if (epoch !== 0 || delivered !== pauseAfter) return;
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
      betweenEpochs: async () => {
        // The first epoch may end before the node thaws; the second starts with it awake,
        // and once it has worked off the requests still queued in its sockets.
        await resumed;
        readsBefore = await settledCoordinatorReads(node, keyspace, 'data');
      },
    });
    const readsNextEpoch =
      run.error === null ? (await coordinatorReads(node, keyspace, 'data')) - readsBefore : 0;
    const first = run.epochs[0];
    const verdict =
      (resumed === undefined ? `${victim} was never paused (epoch too short?)` : null) ??
      epochsVerdict(run.epochs, EPOCHS) ??
      (first !== undefined && first.retries === 0
        ? `no request was retried in epoch 1: none was waiting on ${victim} while it was frozen`
        : null) ??
      (readsNextEpoch <= 0
        ? `${victim} coordinated no read in epoch 2: the reader did not use the node again after it resumed`
        : null);
    return toResult(
      'node-paused',
      ctx,
      combineEpochs(run.epochs, EPOCHS),
      verdict,
      `both epochs exactly once; ${victim} frozen ${pauseMs} ms in epoch 1 (${first?.retries ?? 0} retries), then coordinated ${readsNextEpoch} of epoch 2's reads`,
      {
        epochs: EPOCHS,
        observed: { retriesEpoch1: first?.retries ?? 0, victimReadsNextEpoch: readsNextEpoch },
      },
    );
  } finally {
    // A frozen node must never outlive the scenario, whatever happened.
    clearTimeout(timer);
    ctx.faults.resume(victim);
  }
}
