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
 * channels (the mirror was already done by the decoder). Padding elements are
 * written too, so a reused buffer never leaks a previous batch.
 */
export function writeSample(
  pixels: Uint8Array,
  pixelCount: number,
  writer: SampleWriter,
  out: TensorBuffer,
  row: number,
): void {
  const { channels, outChannels, luts } = writer;
  const base = row * pixelCount * outChannels;
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
