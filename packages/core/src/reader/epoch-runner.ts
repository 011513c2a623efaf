import type { LentBatch, RawBatch } from '@cassdl/schema';
import type { Engine } from '../engines/engine.js';
import { CassdlClosedError } from '../errors.js';
import type { MetricsRecorder } from '../metrics/reader-metrics.js';
import type { EpochCursor } from '../plan/cursor.js';
import type { EpochPlan } from '../plan/epoch-plan.js';
import { assembleBatch } from './assemble.js';
import type { ReaderBatch } from './lent-batch.js';

/** A fetched batch, and how to record on the epoch's cursor that the consumer got it. */
export interface Arrived {
  readonly batch: ReaderBatch;
  readonly markDelivered: () => void;
}

/** What an epoch run fetches: the planned batches, or with row-level `ooo` chunks of the rows left. */
export interface BatchFeed {
  /** Submits the next fetch to the engine; null once everything left is submitted. */
  next(): Promise<Arrived> | null;
  /**
   * Fetches the feed may keep beyond the window now (row-level `ooo`: the
   * keys stuck on a stalled replica, in batches): while the oldest fetch
   * waits, the runner looks again every `STALL_CHECK_MS` and submits more,
   * so rows of the other replicas keep filling batches. Absent: none.
   */
  stalled?(): number;
}

/** How often a run whose feed reports stalled keys looks again while it waits. */
const STALL_CHECK_MS = 20;

export interface EpochRun {
  readonly feed: BatchFeed;
  readonly metrics: MetricsRecorder;
  /** Outstanding batches allowed now (slow start grows it). */
  readonly window: () => number;
  /** True once the reader is closed: nothing more is delivered, not even batches already fetched. */
  readonly closed: () => boolean;
  /** Called once per delivered batch, just before the consumer gets it. */
  readonly onDeliver: (batch: ReaderBatch) => void;
}

type Settled = ({ readonly ok: true } & Arrived) | { readonly ok: false; readonly error: unknown };

interface InFlight {
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
 * Runs the rest of one epoch: keeps up to `window()` fetches of `feed`
 * submitted ahead of the consumer and yields them in submission order. Submission happens only while the consumer is asking for
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
  const inFlight: InFlight[] = [];
  let exhausted = false;
  let lent: ReaderBatch | null = null;
  run.metrics.iterating(true);
  try {
    for (;;) {
      if (run.closed()) throw new CassdlClosedError('reader');
      while (!exhausted && inFlight.length < run.window()) {
        const next = run.feed.next();
        if (next === null) exhausted = true;
        else inFlight.push(submit(run, next));
      }
      if (inFlight.length === 0) return;
      const waitStarted = performance.now();
      const stalled = run.feed.stalled?.bind(run.feed);
      if (stalled !== undefined) {
        // Look again while the oldest fetch waits: stuck keys widen the window.
        while (!exhausted && !(await settledWithin(inFlight[0] as InFlight, STALL_CHECK_MS))) {
          while (!exhausted && inFlight.length < run.window() + stalled()) {
            const next = run.feed.next();
            if (next === null) exhausted = true;
            else inFlight.push(submit(run, next));
          }
        }
      }
      const taken = inFlight.shift() as InFlight;
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
      result.markDelivered();
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

/** The planned batches of `plan` not yet delivered on `cursor`, in plan order (in-order mode). */
export function plannedFeed(plan: EpochPlan, cursor: EpochCursor, engine: Engine): BatchFeed {
  const pending = cursor.pending();
  return {
    next() {
      const next = pending.next();
      if (next.done === true) return null;
      const planned = plan.batch(next.value);
      return engine
        .fetch(planned.keys, { leased: true, sources: planned.sources })
        .then((rows) => ({
          batch: assembleBatch(plan.epoch, planned, rows),
          markDelivered: () => cursor.markDelivered(planned.index),
        }));
    },
  };
}

function submit(run: EpochRun, arriving: Promise<Arrived>): InFlight {
  run.metrics.batchSubmitted();
  const f: InFlight = {
    settled: arriving.then(
      (arrived): Settled => {
        const { batch } = arrived;
        if (f.dropped) {
          batch.release(); // abandoned while on its way: its arena goes straight back
        } else {
          f.batch = batch;
          f.held = batchBytes(batch);
          f.buffered = true;
          run.metrics.batchBuffered(f.held);
        }
        return { ok: true, ...arrived };
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

/** True once `f` settled, false if `ms` passed first. */
async function settledWithin(f: InFlight, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([f.settled.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
