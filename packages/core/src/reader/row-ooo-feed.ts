import type { Engine, FetchedRows } from '../engines/engine.js';
import type { EpochPlan } from '../plan/epoch-plan.js';
import type { RowCursor } from '../plan/row-cursor.js';
import type { Arrived, BatchFeed } from './epoch-runner.js';
import { ReaderBatch } from './lent-batch.js';
import { StuckKeys } from './stuck-keys.js';
import { withTrailingPadding } from './trailing-padding.js';

/** Keys count as stuck after twice the engine's p99 row latency, and at least this long. */
const MIN_STALL_MS = 50;
/** Fetches a run may keep beyond its window for stuck keys (they hold no data until they arrive). */
const MAX_STALLED_FETCHES = 256;

/** Engine groups are per epoch run: a run's fetches share rows with no other run's. */
let nextGroup = 1;

/**
 * Row-level `ooo` (cassandra-dali-plugin's): the rows not yet delivered on
 * `cursor`, in plan order, cut into fetches of `batchSize` keys that all go
 * to one engine `oooGroup`, so each fetch is filled with whichever rows of
 * the group arrive first and one slow row holds no batch back. The seeded
 * plan still decides which rows the epoch covers; the ids a fetch returns
 * (its rows and its missing ones) say which of the submitted rows it
 * delivered, and the batch marks exactly those on the cursor. An id the plan
 * repeats (padding, a weighted source drawn twice) stands for any of its
 * outstanding rows: the rows are the same, and each is counted once.
 */
export function rowOooFeed(plan: EpochPlan, cursor: RowCursor, engine: Engine): BatchFeed {
  const pending = cursor.pending();
  const group = nextGroup++;
  /** Rows submitted and not yet returned, by id. */
  const outstanding = new Map<string, number[]>();
  const stuck = new StuckKeys();
  let chunk = 0;
  return {
    stalled: () => {
      const ms = Math.max(MIN_STALL_MS, 2 * engine.stats().latencyMs.p99);
      return Math.min(
        MAX_STALLED_FETCHES,
        Math.floor(stuck.olderThan(performance.now() - ms) / plan.batchSize),
      );
    },
    next() {
      const rows: number[] = [];
      for (let r = pending.next(); r.done !== true; r = pending.next()) {
        rows.push(r.value);
        if (rows.length === plan.batchSize) break;
      }
      if (rows.length === 0) return null;
      const index = chunk++;
      const planned = plan.rowsBatch(index, rows);
      stuck.submitted(rows[0] as number, rows.length);
      rows.forEach((row, i) => {
        const id = idAt(planned.keys, i);
        const list = outstanding.get(id);
        if (list === undefined) outstanding.set(id, [row]);
        else list.push(row);
      });
      const options = { leased: true, sources: planned.sources, oooGroup: group };
      return engine
        .fetch(planned.keys, options)
        .then((fetched) =>
          arrived(
            plan,
            cursor,
            fetched,
            { index, sourceCount: planned.sourceCount },
            outstanding,
            stuck,
          ),
        );
    },
  };
}

/** The batch of one resolved fetch: which submitted rows its ids are, and its padding and sources among them. */
function arrived(
  plan: EpochPlan,
  cursor: RowCursor,
  fetched: FetchedRows,
  { index, sourceCount }: { index: number; sourceCount: number | undefined },
  outstanding: Map<string, number[]>,
  stuck: StuckKeys,
): Arrived {
  const returned = takeRows(fetched.ids, outstanding);
  const skipped = takeRows(fetched.missing, outstanding);
  for (const row of returned) stuck.returned(row);
  for (const row of skipped) stuck.returned(row);
  const samples = plan.positions.length;
  const padding = returned.filter((row) => row >= samples).length;
  let sources: number[] | undefined;
  if (sourceCount !== undefined) {
    sources = new Array<number>(sourceCount).fill(0);
    for (const row of returned) {
      const s = plan.sampleAt(plan.positionOf(row)).source;
      sources[s] = (sources[s] as number) + 1;
    }
  }
  // Padding repeats the sample at the shard's pad position: the key of any row past the samples.
  const padId = padding > 0 ? plan.rowsBatch(index, [samples]).keys : new Uint8Array(16);
  const rows = withTrailingPadding(fetched, padId, padding);
  const batch = new ReaderBatch(plan.epoch, index, rows.size, padding, rows, sources);
  return {
    batch,
    markDelivered: () => {
      for (const row of returned) cursor.markDelivered(row);
      for (const row of skipped) cursor.markDelivered(row);
    },
  };
}

/** The outstanding rows of `ids` (16 bytes each), each taken once. */
function takeRows(ids: Uint8Array, outstanding: Map<string, number[]>): number[] {
  const rows: number[] = [];
  for (let i = 0; i < ids.length / 16; i++) {
    const id = idAt(ids, i);
    const list = outstanding.get(id);
    const row = list?.shift();
    if (row === undefined)
      throw new RangeError(`the engine returned id ${id} that no outstanding fetch asked for`);
    if (list?.length === 0) outstanding.delete(id);
    rows.push(row);
  }
  return rows;
}

/** An id as a map key (its 16 bytes as hex). */
function idAt(bytes: Uint8Array, i: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + i * 16, 16).toString('hex');
}
