import type { RawBatch } from '@cassdl/schema';
import { decodeSamples } from '../decode/decode-samples.js';
import { BatchBuffers } from './batch-buffers.js';
import type { PipelineConfig } from './config.js';
import { decodeSpec } from './decode-spec.js';

/** What the native decoder did to a batch: its buffers, and per row what is left (`PART_*` bits). */
export interface NativeDone {
  readonly buffers: BatchBuffers;
  readonly parts: Uint8Array;
}

/** A decoded batch before `onCorrupt`: its buffers and each row's failure (undefined when it decoded). */
export interface DecodedRows {
  readonly buffers: BatchBuffers;
  readonly failures: (unknown | undefined)[];
}

/**
 * Decodes a batch from the JS thread (libvips still works on the
 * threadpool): the path without workers. With `done`, only what the native
 * decoder left (`done.parts`) into its buffers.
 */
export async function decodeInThread(
  config: PipelineConfig,
  batch: RawBatch,
  done?: NativeDone,
): Promise<DecodedRows> {
  const buffers = done?.buffers ?? new BatchBuffers(config, batch.size);
  const spec = decodeSpec(config, buffers, done?.parts);
  const failures = await decodeSamples(batch, spec, (row, image, mask) =>
    buffers.write(row, image, mask),
  );
  return { buffers, failures };
}
