import type { DecodeSpec } from '../decode/decode-samples.js';
import type { BatchBuffers } from './batch-buffers.js';
import type { PipelineConfig } from './config.js';

/**
 * What the decoder needs from a pipeline's configuration, the same on the JS
 * thread and in a worker; `parts` says what the native decoder left to do.
 */
export function decodeSpec(
  config: PipelineConfig,
  buffers: BatchBuffers,
  parts?: Uint8Array,
): DecodeSpec {
  return {
    channels: config.channels,
    geometry: config.geometry,
    flip: config.flip,
    seed: config.seed,
    concurrency: config.concurrency,
    masks: config.labels.kind === 'mask',
    vipsNormalize: buffers.vipsNormalize,
    parts,
  };
}
