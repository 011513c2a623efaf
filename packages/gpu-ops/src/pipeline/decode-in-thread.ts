import type { RawBatch } from '@cassdl/schema';
import { decodeSamples } from '../decode/decode-samples.js';
import { BatchBuffers } from './batch-buffers.js';
import type { PipelineConfig } from './config.js';
import { decodeSpec } from './decode-spec.js';

/** A decoded batch before `onCorrupt`: its buffers and each row's failure (undefined when it decoded). */
export interface DecodedRows {
  readonly buffers: BatchBuffers;
  readonly failures: (unknown | undefined)[];
}

/** Decodes a batch from the JS thread (libvips still works on the threadpool): the path without workers. */
export async function decodeInThread(
  config: PipelineConfig,
  batch: RawBatch,
): Promise<DecodedRows> {
  const buffers = new BatchBuffers(config, batch.size);
  const failures = await decodeSamples(batch, decodeSpec(config, buffers), (row, image, mask) =>
    buffers.write(row, image, mask),
  );
  return { buffers, failures };
}
