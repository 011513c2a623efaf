import sharp from 'sharp';
import type { Interpolation, SamplePlan } from '../geometry/sample-plan.js';

/** Channels of decoded pixels: gray, RGB or RGBA. */
export type Channels = 1 | 3 | 4;

/** Mirrors of a sample, decided by its plan. */
export interface Flips {
  readonly horizontal: boolean;
  readonly vertical: boolean;
}

export const NO_FLIPS: Flips = { horizontal: false, vertical: false };

/** Interleaved pixels of one sample (HWC): 8-bit values, or float32 already normalized. */
export interface DecodedPixels {
  readonly data: Uint8Array | Float32Array;
  readonly width: number;
  readonly height: number;
  /** Channels in `data` (4 for normalized RGB with its zero padding channel). */
  readonly channels: number;
  /**
   * Mirrors still to apply while copying out. 8-bit pixels leave them to the
   * copy into the batch (which reads every pixel anyway, so a mirror there
   * costs nothing, while libvips' flop was a 5% pipeline stage); libvips
   * applies them itself on the float (normalize-in-decoder) path.
   */
  readonly flips: Flips;
}

/** Normalize inside libvips (RGB only): the matrix from `normalizeMatrix`, and whether to keep the zero 4th channel. */
export interface VipsNormalize {
  readonly matrix: number[][];
  readonly pad: boolean;
}

const KERNEL: Record<Interpolation, keyof sharp.KernelEnum> = {
  bilinear: 'linear',
  nearest: 'nearest',
  bicubic: 'cubic',
  lanczos3: 'lanczos3',
};

/**
 * Decode, crop, resize, mirror (and for RGB, normalize) one image in a
 * single libvips pipeline on the libuv threadpool, as DALI's fused
 * `image_random_crop` decoder does: the JS thread only describes the work
 * and receives finished pixels. libvips runs the steps in a fixed order
 * whatever the call order: crop the window from the source, resize, (for
 * the float path) mirror, join the constant band, recombine (normalize),
 * drop the padding band. 8-bit pixels come back unmirrored with the flips to
 * apply in `flips`.
 */
export async function decodeImage(
  bytes: Uint8Array,
  plan: SamplePlan,
  channels: Channels,
  interpolation: Interpolation,
  normalize?: VipsNormalize,
  gray8Bit = false,
): Promise<DecodedPixels> {
  const [outH, outW] = plan.size;
  const [srcH, srcW] = plan.source;
  const { window } = plan;
  let image = sharp(bytes, { failOn: 'warning' });
  // Skipping a no-op extract keeps libjpeg's shrink-on-load available to plain resizes.
  if (window.left !== 0 || window.top !== 0 || window.width !== srcW || window.height !== srcH) {
    image = image.extract(window);
  }
  if (window.width !== outW || window.height !== outH) {
    image = image.resize(outW, outH, { fit: 'fill', kernel: KERNEL[interpolation] });
  }
  if (normalize && channels === 3) {
    if (plan.flipHorizontal) image = image.flop();
    if (plan.flipVertical) image = image.flip();
    return finishNormalized(image, outW, outH, normalize);
  }
  image = toChannels(image, channels, gray8Bit);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  checkShape(info, outW, outH, channels);
  const flips = { horizontal: plan.flipHorizontal, vertical: plan.flipVertical };
  return { data, width: outW, height: outH, channels, flips };
}

async function finishNormalized(
  image: sharp.Sharp,
  width: number,
  height: number,
  normalize: VipsNormalize,
): Promise<DecodedPixels> {
  // (No removeAlpha() before the join: in sharp it runs after recomb, dropping band 4.)
  image = image
    .joinChannel(constantBand(width, height), { raw: { width, height, channels: 1 } })
    .recomb(normalize.matrix as sharp.Matrix4x4);
  if (!normalize.pad) image = image.removeAlpha();
  const { data, info } = await image.raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
  const channels = normalize.pad ? 4 : 3;
  checkShape(info, width, height, channels);
  // Copy only if libvips handed back memory not aligned for a float view.
  const bytes = data.byteOffset % 4 === 0 ? data : new Uint8Array(data);
  return {
    data: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
    width,
    height,
    channels,
    flips: NO_FLIPS,
  };
}

const constantBands = new Map<string, Buffer>();

/** A band of 255s per output size, shared by every image of that size; libvips only reads it. */
function constantBand(width: number, height: number): Buffer {
  const key = `${width}x${height}`;
  let band = constantBands.get(key);
  if (!band) {
    if (constantBands.size >= 16) constantBands.clear(); // size-free pipelines see many sizes
    band = Buffer.alloc(width * height, 255);
    constantBands.set(key, band);
  }
  return band;
}

function checkShape(info: sharp.OutputInfo, width: number, height: number, channels: number): void {
  if (info.channels !== channels || info.width !== width || info.height !== height) {
    throw new Error(
      `decoder produced ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x${channels}`,
    );
  }
}

function toChannels(image: sharp.Sharp, channels: Channels, gray8Bit: boolean): sharp.Sharp {
  // Its one band is the answer: greyscale() would still convert it through
  // scRGB and back (a third of a PNG mask's decode), for the same bytes.
  if (channels === 1 && gray8Bit) return image.extractChannel(0);
  // Colourspace conversions also bring 16-bit PNGs down to 8 bits by scaling, not clipping.
  if (channels === 1) return image.greyscale();
  if (channels === 3) return image.removeAlpha().toColourspace('srgb');
  return image.ensureAlpha().toColourspace('srgb');
}
