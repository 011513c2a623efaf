import type { LentBatch, RawBatch } from '@cassdl/schema';
import type { Engine } from '../engines/engine.js';
import { CassdlClosedError } from '../errors.js';
import type { MetricsRecorder } from '../metrics/reader-metrics.js';
import type { EpochCursor } from '../plan/cursor.js';
import type { EpochPlan } from '../plan/epoch-plan.js';
import { assembleBatch } from './assemble.js';
import type { ReaderBatch } from './lent-batch.js';

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
  readonly onDeliver: (batch: ReaderBatch) => void;
}

type Settled =
  | { readonly ok: true; readonly batch: ReaderBatch }
  | { readonly ok: false; readonly error: unknown };

interface InFlight {
  readonly index: number;
  readonly settled: Promise<Settled>;
  /** Bytes counted in the metrics' `bufferedBytes` since the batch arrived (0 before, and after release). */
  held: number;
  /** Counted as a prefetched batch (arrived, not yet released). */
  buffered: boolean;
  /** Abandoned before it arrived: it is never counted. */
  dropped: boolean;
  /** Arrived and not yet handed over: given back if abandoned. */
  batch: ReaderBatch | null;
}

/**
 * Runs the rest of one epoch: keeps up to `window()` batches submitted ahead
 * of the consumer and yields them in plan order (or, with `ooo`, whichever
 * completes first). Submission happens only while the consumer is asking for
 * the next batch, so a slow consumer holds the reader at `window()` batches:
 * memory is bounded however slow it is. Each batch is marked delivered on
 * the cursor right before it is yielded, so `state()` taken after processing
 * a batch includes it.
 *
 * Batches are lent: the one yielded goes back to the engine's arena ring
 * when the consumer asks for the next (or stops iterating), unless it was
 * retained; abandoned ones go back at once.
 */
export async function* runEpoch(run: EpochRun): AsyncGenerator<LentBatch, void, undefined> {
  const pending = run.cursor.pending();
  const inFlight: InFlight[] = [];
  let exhausted = false;
  let lent: ReaderBatch | null = null;
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
      release(run, taken);
      taken.batch = null;
      if (run.closed()) {
        if (result.ok) result.batch.release();
        throw new CassdlClosedError('reader');
      }
      if (!result.ok) throw result.error;
      run.cursor.markDelivered(taken.index);
      run.onDeliver(result.batch);
      lent = result.batch;
      yield result.batch;
      lent.recycleUnlessRetained();
      lent = null;
    }
  } finally {
    lent?.recycleUnlessRetained();
    // Batches still in flight are abandoned: their results are dropped (never
    // delivered, so the cursor still lists them as pending for resume).
    for (const f of inFlight) {
      run.metrics.batchSettled();
      f.dropped = true;
      f.batch?.release();
      release(run, f);
    }
    run.metrics.iterating(false);
  }
}

function submit(run: EpochRun, index: number): InFlight {
  const planned = run.plan.batch(index);
  run.metrics.batchSubmitted();
  const f: InFlight = {
    index,
    settled: run.engine.fetch(planned.keys, { leased: true, sources: planned.sources }).then(
      (rows): Settled => {
        const batch = assembleBatch(run.plan.epoch, planned, rows);
        if (f.dropped) {
          batch.release(); // abandoned while on its way: its arena goes straight back
        } else {
          f.batch = batch;
          f.held = batchBytes(batch);
          f.buffered = true;
          run.metrics.batchBuffered(f.held);
        }
        return { ok: true, batch };
      },
      (error: unknown): Settled => ({ ok: false, error }),
    ),
    held: 0,
    buffered: false,
    dropped: false,
    batch: null,
  };
  return f;
}

/** Stops counting a batch as prefetched: handed to the consumer, or abandoned. */
function release(run: EpochRun, f: InFlight): void {
  if (!f.buffered) return;
  run.metrics.batchUnbuffered(f.held);
  f.buffered = false;
  f.held = 0;
}

/** Data and label bytes of a batch: what it holds in memory. */
export function batchBytes(batch: RawBatch): number {
  return batch.data.byteLength + (batch.labels.kind === 'blob' ? batch.labels.data.byteLength : 0);
}

/** Position in `inFlight` of the first batch to settle. */
function firstSettled(inFlight: readonly InFlight[]): Promise<number> {
  return Promise.race(inFlight.map((f, i) => f.settled.then(() => i)));
}
