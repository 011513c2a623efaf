import type { RawBatch } from '@cassdl/schema';
import type { z } from 'zod';
import { checkBatchShape } from '../batch/views.js';
import type { Interpolation } from '../geometry/sample-plan.js';
import type { Size2D } from '../geometry/window.js';
import { decodeBatchSchema } from '../options/schemas.js';
import { validateOptions } from '../options/validate.js';
import { applyRowMap, resolveFailures } from './corrupt-policy.js';
import { decodeSamples } from './decode-samples.js';
import type { DecodeStats } from './decode-stats.js';

export type DecodeBatchOptions = z.input<typeof decodeBatchSchema>;

/** 8-bit pixels of a whole batch in one array, NHWC. */
export interface DecodedBatch {
  readonly pixels: Uint8Array;
  /** `[n, height, width, channels]`. */
  readonly shape: readonly [number, number, number, number];
  /** Batch row each output row came from. */
  readonly sourceRows: Int32Array;
  readonly stats: DecodeStats;
}

/**
 * Decodes every image of a batch on the libuv threadpool into one `Uint8Array`
 * (NHWC), optionally resized to `size`; without `size` every image must have
 * the same dimensions. For tensors use `pipeline()`; this is for callers
 * that want the bytes (custom augmentation, another framework).
 */
export async function decodeBatch(
  batch: RawBatch,
  options: DecodeBatchOptions = {},
): Promise<DecodedBatch> {
  const o = validateOptions(decodeBatchSchema, options, 'decodeBatch');
  checkBatchShape(batch);
  const size: Size2D | undefined = o.size;
  const interpolation: Interpolation = o.interpolation;
  let shape: [number, number] | undefined = size ? [size[0], size[1]] : undefined;
  let pixels: Uint8Array | undefined;
  const failures = await decodeSamples(
    batch,
    {
      channels: o.channels,
      geometry: size ? { kind: 'resize', size, interpolation } : { kind: 'none' },
      flip: { horizontal: 0, vertical: 0 },
      seed: 0,
      concurrency: o.concurrency,
      masks: false,
    },
    (row, image) => {
      if (!image) return; // never: this spec leaves every image to decode
      shape ??= [image.height, image.width];
      if (image.height !== shape[0] || image.width !== shape[1]) {
        throw new Error(
          `image is ${image.width}x${image.height} but the batch is ${shape[1]}x${shape[0]}; pass size to resize`,
        );
      }
      pixels ??= new Uint8Array(batch.size * shape[0] * shape[1] * o.channels);
      pixels.set(image.data as Uint8Array, row * image.data.length);
    },
  );
  const { sourceRows, stats } = resolveFailures(failures, o.onCorrupt, batch.ids);
  const [h, w] = shape ?? [0, 0];
  const out = pixels ? applyRowMap(pixels, h * w * o.channels, sourceRows) : new Uint8Array(0);
  return { pixels: out, shape: [sourceRows.length, h, w, o.channels], sourceRows, stats };
}
