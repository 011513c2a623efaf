import type { RawBatch } from '@cassdl/schema';
import { PART_IMAGE, PART_MASK } from '../decode/decode-samples.js';
import type { LoadedNativeJpeg } from '../decode/native-jpeg.js';
import { decodeNativeRows, planNativeRows } from '../decode/native-jpeg.js';
import { decodeInWorkers } from '../workers/decode-in-workers.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import { WorkerUnavailableError } from '../workers/worker-pool.js';
import { BatchBuffers } from './batch-buffers.js';
import type { PipelineConfig } from './config.js';
import type { DecodedRows, NativeDone } from './decode-in-thread.js';
import { decodeInThread } from './decode-in-thread.js';

/**
 * Decodes a batch with the native JPEG decoder where it can, and sharp for
 * the rest, into one set of buffers. While the native threads decode the
 * JPEGs, sharp (on the worker pool, else from this thread) decodes the
 * masks and the rows that are not plain JPEGs; JPEGs the native decoder
 * refuses or cannot decode go through sharp afterwards, so a corrupt row
 * fails with sharp's words exactly as before. Undefined when no row is a
 * plain JPEG: the sharp path then does the whole batch.
 */
export async function decodeWithNative(
  native: LoadedNativeJpeg,
  config: PipelineConfig,
  batch: RawBatch,
  pool: WorkerPool | undefined,
): Promise<DecodedRows | undefined> {
  const planned = planNativeRows(config, batch);
  if (planned.rows.length === 0 || config.geometry.kind === 'none') return undefined;
  const [height, width] = config.geometry.size;
  const buffers = new BatchBuffers(
    config,
    batch.size,
    pool ? { kind: 'shared', size: [height, width] } : { kind: 'private' },
  );
  const masks = config.labels.kind === 'mask' ? PART_MASK : 0;
  const first = new Uint8Array(batch.size).fill(PART_IMAGE | masks);
  for (const row of planned.rows) first[row] = masks;
  const [decoded, sharpFirst] = await Promise.all([
    decodeNativeRows(
      native,
      {
        data: batch.data,
        out: buffers.images!,
        luts: buffers.nativeLuts(),
        rows: batch.size,
        height,
        width,
        channels: buffers.outChannels,
        layout: config.output.layout,
      },
      planned,
    ),
    decodeWithSharp(config, batch, pool, { buffers, parts: first }),
  ]);
  const failures = sharpFirst;
  const second = new Uint8Array(batch.size);
  let refused = 0;
  planned.rows.forEach((row, i) => {
    if (decoded[i] || failures[row] !== undefined) return;
    second[row] = PART_IMAGE;
    refused++;
  });
  if (refused > 0) {
    const again = await decodeWithSharp(config, batch, pool, { buffers, parts: second });
    for (let row = 0; row < batch.size; row++) failures[row] ??= again[row];
  }
  return { buffers, failures };
}

/** The rows `done.parts` names, through sharp; every row undefined (no failure) when it names none. */
async function decodeWithSharp(
  config: PipelineConfig,
  batch: RawBatch,
  pool: WorkerPool | undefined,
  done: NativeDone,
): Promise<(unknown | undefined)[]> {
  if (done.parts.every((part) => part === 0))
    return new Array<undefined>(batch.size).fill(undefined);
  let rows: DecodedRows | undefined;
  if (pool) {
    try {
      rows = await decodeInWorkers(pool, config, batch, done);
    } catch (error) {
      if (!(error instanceof WorkerUnavailableError)) throw error;
    }
  }
  rows ??= await decodeInThread(config, batch, done);
  return rows.failures;
}
