import type { Flips } from '../decode/decode-image.js';
import { NO_FLIPS } from '../decode/decode-image.js';

/** Memory order of the output tensor. */
export type Layout = 'NHWC' | 'NCHW';

/** A typed array a tensor can be built from without conversion. */
export type TensorBuffer = Float32Array | Int32Array;

/** How decoded 8-bit HWC pixels land in the batch buffer. */
export interface SampleWriter {
  readonly layout: Layout;
  /** Channels decoded. */
  readonly channels: number;
  /** Channels in the output (>= channels; the extra ones are zero padding). */
  readonly outChannels: number;
  /** One table per decoded channel, from `channelLuts`. */
  readonly luts: readonly Float64Array[];
  /** The tables are the identity (raw pixels): NHWC rows are one native widening copy. */
  readonly raw: boolean;
}

/**
 * Writes one sample into row `row` of the batch buffer in a single pass:
 * normalize through the lookup tables, NHWC or NCHW order, zero padding
 * channels, and the sample's mirrors (reading source rows bottom-up and
 * right to left costs the same as in order). Padding elements are written
 * too, so a recycled buffer never shows a previous batch.
 */
export function writeSample(
  pixels: Uint8Array,
  width: number,
  height: number,
  writer: SampleWriter,
  out: TensorBuffer,
  row: number,
  flips: Flips = NO_FLIPS,
): void {
  const { channels, outChannels, luts } = writer;
  const pixelCount = width * height;
  const base = row * pixelCount * outChannels;
  if (flips.horizontal || flips.vertical) {
    if (writer.layout === 'NHWC' && channels === 3 && outChannels === 3)
      writeRgbMirrored(pixels, width, height, luts, out, base, flips);
    else writeMirrored(pixels, width, height, writer, out, base, flips);
    return;
  }
  if (writer.raw && writer.layout === 'NHWC' && channels === outChannels) {
    out.set(pixels.subarray(0, pixelCount * channels), base);
    return;
  }
  if (writer.layout === 'NHWC' && channels === 3 && outChannels === 3) {
    writeRgb(pixels, pixelCount, luts, out, base); // the common case, unrolled
    return;
  }
  if (writer.layout === 'NHWC') {
    // Pixel-major: one sequential pass over source and destination.
    for (let p = 0, s = 0, d = base; p < pixelCount; p++, s += channels, d += outChannels) {
      for (let c = 0; c < channels; c++) out[d + c] = luts[c]![pixels[s + c]!]!;
      for (let c = channels; c < outChannels; c++) out[d + c] = 0;
    }
    return;
  }
  for (let c = 0; c < outChannels; c++) {
    const plane = base + c * pixelCount;
    const lut = luts[c];
    if (lut === undefined) {
      out.fill(0, plane, plane + pixelCount);
      continue;
    }
    for (let p = 0, s = c; p < pixelCount; p++, s += channels) out[plane + p] = lut[pixels[s]!]!;
  }
}

function writeRgb(
  pixels: Uint8Array,
  pixelCount: number,
  luts: readonly Float64Array[],
  out: TensorBuffer,
  base: number,
): void {
  const r = luts[0]!;
  const g = luts[1]!;
  const b = luts[2]!;
  const end = pixelCount * 3;
  for (let s = 0, d = base; s < end; s += 3, d += 3) {
    out[d] = r[pixels[s]!]!;
    out[d + 1] = g[pixels[s + 1]!]!;
    out[d + 2] = b[pixels[s + 2]!]!;
  }
}

/** The first source pixel of destination row `y`, and the step to the next (negative when mirrored). */
function sourceRow(y: number, width: number, height: number, flips: Flips): [number, number] {
  const sy = flips.vertical ? height - 1 - y : y;
  return flips.horizontal ? [sy * width + width - 1, -1] : [sy * width, 1];
}

function writeRgbMirrored(
  pixels: Uint8Array,
  width: number,
  height: number,
  luts: readonly Float64Array[],
  out: TensorBuffer,
  base: number,
  flips: Flips,
): void {
  const r = luts[0]!;
  const g = luts[1]!;
  const b = luts[2]!;
  for (let y = 0, d = base; y < height; y++) {
    const [first, step] = sourceRow(y, width, height, flips);
    for (let x = 0, s = first * 3; x < width; x++, s += step * 3, d += 3) {
      out[d] = r[pixels[s]!]!;
      out[d + 1] = g[pixels[s + 1]!]!;
      out[d + 2] = b[pixels[s + 2]!]!;
    }
  }
}

function writeMirrored(
  pixels: Uint8Array,
  width: number,
  height: number,
  writer: SampleWriter,
  out: TensorBuffer,
  base: number,
  flips: Flips,
): void {
  const { channels, outChannels, luts, layout } = writer;
  const pixelCount = width * height;
  for (let y = 0; y < height; y++) {
    const [first, step] = sourceRow(y, width, height, flips);
    for (let x = 0, p = first; x < width; x++, p += step) {
      const dp = y * width + x;
      for (let c = 0; c < outChannels; c++) {
        const value = c < channels ? luts[c]![pixels[p * channels + c]!]! : 0;
        out[layout === 'NHWC' ? base + dp * outChannels + c : base + c * pixelCount + dp] = value;
      }
    }
  }
}

/**
 * Copies one sample that libvips already normalized (float32 HWC, with as
 * many channels as the output) into row `row`: one memcpy for NHWC, a
 * transposing copy for NCHW.
 */
export function copyNormalizedSample(
  values: Float32Array,
  pixelCount: number,
  channels: number,
  layout: Layout,
  out: Float32Array,
  row: number,
): void {
  const base = row * pixelCount * channels;
  if (layout === 'NHWC') {
    out.set(values, base);
    return;
  }
  for (let c = 0; c < channels; c++) {
    const plane = base + c * pixelCount;
    for (let p = 0, s = c; p < pixelCount; p++, s += channels) out[plane + p] = values[s]!;
  }
}
