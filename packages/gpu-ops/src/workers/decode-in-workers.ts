import type { RawBatch } from '@cassdl/schema';
import { sampleData } from '../batch/views.js';
import { readImageHeader } from '../decode/image-header.js';
import { BatchBuffers } from '../pipeline/batch-buffers.js';
import type { PipelineConfig } from '../pipeline/config.js';
import type { DecodedRows, NativeDone } from '../pipeline/decode-in-thread.js';
import { fromWire } from './protocol.js';
import { releaseSharedBatch, shareBatch, splitRows } from './shared-batch.js';
import type { WorkerPool } from './worker-pool.js';

/**
 * Decodes a batch on the worker pool: each worker takes a contiguous share
 * of rows and writes finished (normalized) samples straight into shared
 * output arrays, so the JS thread posts one message per worker and gets back
 * only per-row failures. With `done`, only what the native decoder left,
 * into its (shared) buffers. Undefined when the output size cannot be known
 * before decoding (no geometry step and no readable header): the in-thread
 * path then reports it exactly as it always has.
 */
export async function decodeInWorkers(
  pool: WorkerPool,
  config: PipelineConfig,
  batch: RawBatch,
  done?: NativeDone,
): Promise<DecodedRows | undefined> {
  const size = done?.buffers.size ?? outputSize(config, batch);
  if (!size) return undefined;
  const buffers = done?.buffers ?? new BatchBuffers(config, batch.size, { kind: 'shared', size });
  const shared = shareBatch(batch, config.labels.kind === 'mask');
  const shares = splitRows(batch.size, pool.threads);
  // The images in flight are split too, so the threadpool sees the same load as in-thread.
  const concurrency = Math.max(1, Math.ceil(config.concurrency / shares.length));
  const perShare = await pool.run(
    shares.map((rows) => ({
      config: { ...config, concurrency },
      batch: shared,
      rows,
      size,
      images: buffers.images!,
      masks: buffers.masks,
      parts: done?.parts,
    })),
  );
  releaseSharedBatch(batch, shared);
  const failures = perShare.flat().map((failure) => (failure ? fromWire(failure) : undefined));
  return { buffers, failures };
}

/**
 * The batch's `[height, width]`: the geometry step's size, or without one
 * the first readable header's (every sample must match it, as in-thread).
 */
function outputSize(
  config: PipelineConfig,
  batch: RawBatch,
): readonly [number, number] | undefined {
  if (config.geometry.kind !== 'none') return config.geometry.size;
  for (let row = 0; row < batch.size; row++) {
    try {
      const header = readImageHeader(sampleData(batch, row));
      return [header.height, header.width];
    } catch {
      // a corrupt row: its own decode reports it
    }
  }
  return undefined;
}
