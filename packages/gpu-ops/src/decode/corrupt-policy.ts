import { formatSampleId } from '../batch/sample-id.js';
import { GpuOpsError, SampleDecodeError } from '../errors/index.js';
import type { DecodeStats } from './decode-stats.js';
import { emptyStats } from './decode-stats.js';

/**
 * What to do with a sample whose bytes do not decode:
 * - `error`: throw a `SampleDecodeError` naming its id (default);
 * - `skip`: leave it out, so the batch comes back smaller;
 * - `replace`: fill its row with the nearest good sample of the same batch
 *   (pixels and label), so the batch keeps its size for static-shape models.
 */
export type CorruptPolicy = 'error' | 'skip' | 'replace';

/** Which source row fills each output row, and the counts behind it. */
export interface Resolution {
  readonly sourceRows: Int32Array;
  readonly stats: DecodeStats;
}

/**
 * Turns per-sample outcomes into the output's row map. Errors other than
 * decode failures (a bad option, a mask that does not match its image) are
 * not corruption and always propagate.
 */
export function resolveFailures(
  failures: readonly (unknown | undefined)[],
  policy: CorruptPolicy,
  ids: Uint8Array,
): Resolution {
  const corruptRows: number[] = [];
  for (let row = 0; row < failures.length; row++) {
    const failure = failures[row];
    if (failure === undefined) continue;
    if (!(failure instanceof SampleDecodeError)) throw failure;
    corruptRows.push(row);
  }
  const stats = emptyStats();
  stats.samples = failures.length;
  stats.corrupt = corruptRows.length;
  stats.decoded = failures.length - corruptRows.length;
  stats.corruptIds = corruptRows.map((row) => formatSampleId(ids, row));
  if (corruptRows.length > 0 && policy === 'error')
    throw firstWithOthers(failures, corruptRows, stats);
  if (policy === 'skip') {
    stats.skipped = corruptRows.length;
    const kept = [];
    for (let row = 0; row < failures.length; row++) if (failures[row] === undefined) kept.push(row);
    return { sourceRows: Int32Array.from(kept), stats };
  }
  stats.replaced = corruptRows.length;
  return { sourceRows: replacementRows(failures, stats), stats };
}

/** The first failure, telling how many more rows of the batch failed too (a bad shard shows at once). */
function firstWithOthers(
  failures: readonly (unknown | undefined)[],
  corruptRows: readonly number[],
  stats: DecodeStats,
): SampleDecodeError {
  const first = failures[corruptRows[0]!] as SampleDecodeError;
  if (corruptRows.length === 1) return first;
  const others = stats.corruptIds.slice(1, 6).join(', ');
  const more = corruptRows.length > 6 ? ', ...' : '';
  const note = `${corruptRows.length - 1} more corrupt in this batch: ${others}${more}; onCorrupt 'skip' or 'replace' keeps going`;
  return new SampleDecodeError(
    first.sampleId,
    first.sampleIndex,
    `${first.detail} (${note})`,
    first.cause,
  );
}

function replacementRows(
  failures: readonly (unknown | undefined)[],
  stats: DecodeStats,
): Int32Array {
  const rows = Int32Array.from(failures.keys());
  if (stats.corrupt === 0) return rows;
  if (stats.decoded === 0) {
    throw new GpuOpsError(
      'ERR_GPU_OPS_ALL_CORRUPT',
      `onCorrupt 'replace' found no decodable sample in a batch of ${failures.length} (corrupt: ${stats.corruptIds.join(', ')})`,
      { cause: failures[0] },
    );
  }
  for (let row = 0; row < failures.length; row++) {
    if (failures[row] !== undefined) rows[row] = nearestGood(failures, row);
  }
  return rows;
}

function nearestGood(failures: readonly (unknown | undefined)[], row: number): number {
  for (let distance = 1; ; distance++) {
    if (row - distance >= 0 && failures[row - distance] === undefined) return row - distance;
    if (row + distance < failures.length && failures[row + distance] === undefined)
      return row + distance;
  }
}

/**
 * Moves rows of a batch buffer so output row `r` holds source row
 * `sourceRows[r]`, in place. Safe because skipped maps are increasing with
 * `sourceRows[r] >= r` and replacement sources are rows never overwritten.
 */
export function applyRowMap<T extends Uint8Array | Float32Array | Int32Array>(
  buffer: T,
  rowLength: number,
  sourceRows: Int32Array,
): T {
  for (let row = 0; row < sourceRows.length; row++) {
    const source = sourceRows[row]!;
    if (source !== row)
      buffer.copyWithin(row * rowLength, source * rowLength, (source + 1) * rowLength);
  }
  return buffer.subarray(0, sourceRows.length * rowLength) as T;
}
