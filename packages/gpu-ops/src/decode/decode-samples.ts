import type { RawBatch } from '@cassdl/schema';
import { formatSampleId } from '../batch/sample-id.js';
import { sampleBlobLabel, sampleData } from '../batch/views.js';
import { SampleDecodeError, SampleError } from '../errors/index.js';
import type { FlipSpec, GeometrySpec, SamplePlan } from '../geometry/sample-plan.js';
import { planSample } from '../geometry/sample-plan.js';
import type { Channels, DecodedPixels, VipsNormalize } from './decode-image.js';
import { decodeImage } from './decode-image.js';
import type { ImageHeader } from './image-header.js';
import { readImageHeader } from './image-header.js';
import { mapConcurrent } from './map-concurrent.js';

/** What to decode from a batch and how. */
export interface DecodeSpec {
  readonly channels: Channels;
  readonly geometry: GeometrySpec;
  readonly flip: FlipSpec;
  readonly seed: number;
  /** Samples in flight at once (each holds one decoded image). */
  readonly concurrency: number;
  /** Also decode blob labels as 8-bit single-channel masks with the same crop and flips. */
  readonly masks: boolean;
  /** Normalize RGB inside libvips where the image allows it (else the sink gets 8-bit pixels). */
  readonly vipsNormalize?: VipsNormalize | undefined;
  /**
   * Per batch row, what is left to decode (`PART_IMAGE | PART_MASK` bits)
   * once the native decoder wrote some images; undefined: everything.
   */
  readonly parts?: Uint8Array | undefined;
}

/** Bits of `DecodeSpec.parts`. */
export const PART_IMAGE = 1;
export const PART_MASK = 2;

/** Receives each decoded sample as it completes, in any order. */
export type SampleSink = (
  row: number,
  image: DecodedPixels | undefined,
  mask: DecodedPixels | undefined,
) => void;

/**
 * Decodes every sample of a batch (or the parts `spec.parts` leaves) concurrently on the libuv threadpool and
 * hands the pixels to `sink` as each finishes, so copying into the batch
 * buffer overlaps with the decoding of the others. Returns each row's error
 * (undefined when it decoded); it never leaves work running behind it.
 * `rows` limits it to `[start, end)` (a worker thread's share); the result
 * is then indexed from `start`.
 */
export async function decodeSamples(
  batch: RawBatch,
  spec: DecodeSpec,
  sink: SampleSink,
  rows: readonly [number, number] = [0, batch.size],
): Promise<(unknown | undefined)[]> {
  const [start, end] = rows;
  return mapConcurrent(end - start, spec.concurrency, async (offset) => {
    const row = start + offset;
    const parts = spec.parts ? spec.parts[row]! : PART_IMAGE | PART_MASK;
    if (parts === 0) return;
    const id = () => formatSampleId(batch.ids, row);
    const image = sampleData(batch, row);
    const mask = spec.masks && parts & PART_MASK ? sampleBlobLabel(batch, row) : undefined;
    const header = headerOf(image, id, row, 'image');
    const maskHeader = mask && headerOf(mask, id, row, 'mask');
    if (maskHeader) checkMaskFormat(maskHeader, id, row);
    if (maskHeader && (maskHeader.width !== header.width || maskHeader.height !== header.height)) {
      throw new SampleError(
        'ERR_GPU_OPS_MASK_SIZE',
        id(),
        row,
        `mask is ${maskHeader.width}x${maskHeader.height} but its image is ${header.width}x${header.height}; masks must have their image's size`,
      );
    }
    const plan = planSample(header.width, header.height, spec.geometry, spec.flip, {
      seed: spec.seed,
      epoch: batch.epoch,
      batchIndex: batch.index,
      sampleIndex: row,
    });
    const interpolation = spec.geometry.kind === 'none' ? 'nearest' : spec.geometry.interpolation;
    const [pixels, maskPixels] = await Promise.all([
      parts & PART_IMAGE &&
        decodeOf(
          image,
          plan,
          spec.channels,
          interpolation,
          id,
          row,
          'image',
          header.plain8Bit ? spec.vipsNormalize : undefined,
          header.gray8Bit,
        ),
      mask && decodeOf(mask, plan, 1, 'nearest', id, row, 'mask', undefined, maskHeader?.gray8Bit),
    ]);
    try {
      sink(row, pixels || undefined, maskPixels || undefined);
    } catch (error) {
      if (error instanceof SampleError) throw error;
      throw new SampleError('ERR_GPU_OPS_SAMPLE', id(), row, messageOf(error), { cause: error });
    }
  });
}

/** Class ids survive only lossless, unpaletted PNG: JPEG blurs them, palettes decode to colours. */
function checkMaskFormat(header: ImageHeader, id: () => string, row: number): void {
  if (header.format === 'png' && !header.paletted) return;
  const what =
    header.format === 'png'
      ? 'a palette PNG (its indices would decode to colours)'
      : 'a JPEG (lossy: class ids would blur)';
  throw new SampleError(
    'ERR_GPU_OPS_MASK_FORMAT',
    id(),
    row,
    `mask is ${what}; store masks as 8-bit grayscale PNG whose values are class ids`,
  );
}

function headerOf(bytes: Uint8Array, id: () => string, row: number, what: string): ImageHeader {
  try {
    return readImageHeader(bytes);
  } catch (error) {
    throw new SampleDecodeError(
      id(),
      row,
      `cannot read ${what} header: ${messageOf(error)}`,
      error,
    );
  }
}

async function decodeOf(
  bytes: Uint8Array,
  plan: SamplePlan,
  channels: Channels,
  interpolation: Parameters<typeof decodeImage>[3],
  id: () => string,
  row: number,
  what: string,
  normalize?: VipsNormalize,
  gray8Bit?: boolean,
): Promise<DecodedPixels> {
  try {
    return await decodeImage(bytes, plan, channels, interpolation, normalize, gray8Bit);
  } catch (error) {
    throw new SampleDecodeError(id(), row, `cannot decode ${what}: ${messageOf(error)}`, error);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
