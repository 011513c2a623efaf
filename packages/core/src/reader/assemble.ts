import type { FetchedRows } from '../engines/engine.js';
import type { PlannedBatch } from '../plan/epoch-plan.js';
import { ReaderBatch } from './lent-batch.js';

/**
 * A planned batch plus its fetched rows is a batch lent to the consumer. The
 * arrays are the engine's, untouched. When rows were skipped (`onMissing: 'skip'`) the batch
 * is shorter and `padding` counts only the padding rows that came back.
 */
export function assembleBatch(
  epoch: number,
  planned: PlannedBatch,
  rows: FetchedRows,
): ReaderBatch {
  const padding = rows.size === planned.size ? planned.padding : returnedPadding(planned, rows);
  const sources = sourceCounts(planned, rows);
  return new ReaderBatch(epoch, planned.index, rows.size, padding, rows, sources);
}

/** Rows per source (`sourceCount` of them) among the rows that came back. */
function sourceCounts(planned: PlannedBatch, rows: FetchedRows): number[] | undefined {
  if (planned.sourceCount === undefined) return undefined;
  if (planned.sources == null) return [rows.size];
  const counts = new Array<number>(planned.sourceCount).fill(0);
  let returned = 0;
  for (let i = 0; i < planned.size && returned < rows.size; i++) {
    if (rows.size !== planned.size && !sameId(planned.keys, i, rows.ids, returned)) continue;
    const s = planned.sources[i] as number;
    counts[s] = (counts[s] as number) + 1;
    returned++;
  }
  return counts;
}

/** Walks the planned keys and the returned ids (both in key order) to count returned padding rows. */
function returnedPadding(planned: PlannedBatch, rows: FetchedRows): number {
  const firstPadding = planned.size - planned.padding;
  let returned = 0;
  let padding = 0;
  for (let i = 0; i < planned.size && returned < rows.size; i++) {
    if (!sameId(planned.keys, i, rows.ids, returned)) continue;
    if (i >= firstPadding) padding++;
    returned++;
  }
  return padding;
}

/** Row `i` of `a` and row `j` of `b` (16-byte ids) are the same id. */
export function sameId(a: Uint8Array, i: number, b: Uint8Array, j: number): boolean {
  for (let k = 0; k < 16; k++) if (a[i * 16 + k] !== b[j * 16 + k]) return false;
  return true;
}
