import type { RawBatch } from '@cassdl/schema';
import type { Engine } from '../engines/engine.js';
import { CassdlClosedError } from '../errors.js';
import type { MetricsRecorder } from '../metrics/reader-metrics.js';
import type { EpochCursor } from '../plan/cursor.js';
import type { EpochPlan } from '../plan/epoch-plan.js';
import { assembleBatch } from './assemble.js';

export interface EpochRun {
  readonly plan: EpochPlan;
  readonly cursor: EpochCursor;
  readonly engine: Engine;
  readonly metrics: MetricsRecorder;
  /** Deliver in completion order instead of plan order. */
  readonly ooo: boolean;
  /** Outstanding batches allowed now (slow start grows it). */
  readonly window: () => number;
  /** True once the reader is closed: nothing more is delivered, not even batches already fetched. */
  readonly closed: () => boolean;
  /** Called once per delivered batch, just before the consumer gets it. */
  readonly onDeliver: (batch: RawBatch) => void;
}

type Settled =
  | { readonly ok: true; readonly batch: RawBatch }
  | { readonly ok: false; readonly error: unknown };

interface InFlight {
  readonly index: number;
  readonly settled: Promise<Settled>;
}

/**
 * Runs the rest of one epoch: keeps up to `window()` batches submitted ahead
 * of the consumer and yields them in plan order (or, with `ooo`, whichever
 * completes first). Submission happens only while the consumer is asking for
 * the next batch, so a slow consumer holds the reader at `window()` batches:
 * memory is bounded however slow it is. Each batch is marked delivered on
 * the cursor right before it is yielded, so `state()` taken after processing
 * a batch includes it.
 */
export async function* runEpoch(run: EpochRun): AsyncGenerator<RawBatch, void, undefined> {
  const pending = run.cursor.pending();
  const inFlight: InFlight[] = [];
  let exhausted = false;
  run.metrics.iterating(true);
  try {
    for (;;) {
      if (run.closed()) throw new CassdlClosedError('reader');
      while (!exhausted && inFlight.length < run.window()) {
        const next = pending.next();
        if (next.done === true) exhausted = true;
        else inFlight.push(submit(run, next.value));
      }
      if (inFlight.length === 0) return;
      const waitStarted = performance.now();
      const position = run.ooo ? await firstSettled(inFlight) : 0;
      const [taken] = inFlight.splice(position, 1) as [InFlight];
      const result = await taken.settled;
      run.metrics.stallMs += performance.now() - waitStarted;
      run.metrics.batchSettled();
      if (run.closed()) throw new CassdlClosedError('reader');
      if (!result.ok) throw result.error;
      run.cursor.markDelivered(taken.index);
      run.onDeliver(result.batch);
      yield result.batch;
    }
  } finally {
    // Batches still in flight are abandoned: their results are dropped (never
    // delivered, so the cursor still lists them as pending for resume).
    for (let i = 0; i < inFlight.length; i++) run.metrics.batchSettled();
    run.metrics.iterating(false);
  }
}

function submit(run: EpochRun, index: number): InFlight {
  const planned = run.plan.batch(index);
  run.metrics.batchSubmitted();
  const settled = run.engine.fetch(planned.keys).then(
    (rows): Settled => ({ ok: true, batch: assembleBatch(run.plan.epoch, planned, rows) }),
    (error: unknown): Settled => ({ ok: false, error }),
  );
  return { index, settled };
}

/** Position in `inFlight` of the first batch to settle. */
function firstSettled(inFlight: readonly InFlight[]): Promise<number> {
  return Promise.race(inFlight.map((f, i) => f.settled.then(() => i)));
}
