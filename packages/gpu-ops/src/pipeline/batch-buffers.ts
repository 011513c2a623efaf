import type { DecodedPixels, VipsNormalize } from '../decode/decode-image.js';
import { channelLuts, isIdentity } from '../normalize/channel-lut.js';
import { normalizeMatrix } from '../normalize/normalize-matrix.js';
import type { SampleWriter, TensorBuffer } from '../normalize/write-sample.js';
import { copyNormalizedSample, writeSample } from '../normalize/write-sample.js';
import { batchMemory } from './buffer-recycler.js';
import type { PipelineConfig } from './config.js';

/** Masks are copied as they are: class ids, one channel, only mirrored. */
const MASK_WRITER: SampleWriter = {
  layout: 'NHWC',
  channels: 1,
  outChannels: 1,
  luts: channelLuts({ mean: [0], std: [1], scale: 1, shift: 0 }, 1),
  raw: true,
};

/** Where a batch's arrays live: fresh private memory, fresh shared memory, or arrays another thread made. */
export type BufferPlacement =
  | { readonly kind: 'private' }
  | { readonly kind: 'shared'; readonly size: readonly [number, number] }
  | {
      readonly kind: 'attached';
      readonly size: readonly [number, number];
      readonly images: TensorBuffer;
      readonly masks: Int32Array | undefined;
    };

/**
 * The preallocated arrays one batch is written into: images (and masks),
 * sized on the first sample when the pipeline has no geometry step, after
 * which every sample must match. Fresh per batch, because the cpu backend
 * keeps the typed array a tensor was built from rather than copying it.
 * Worker threads write into `SharedArrayBuffer`-backed arrays the JS thread
 * allocated (`shared`) and they `attach` to, so no pixel is copied back.
 */
export class BatchBuffers {
  readonly #config: PipelineConfig;
  readonly #rows: number;
  readonly #writer: SampleWriter;
  #size: readonly [number, number] | undefined;
  images: TensorBuffer | undefined;
  masks: Int32Array | undefined;

  constructor(
    config: PipelineConfig,
    rows: number,
    placement: BufferPlacement = { kind: 'private' },
  ) {
    this.#config = config;
    this.#rows = rows;
    const { output, channels } = config;
    this.#writer = {
      layout: output.layout,
      channels,
      outChannels: output.channels ?? channels,
      luts: channelLuts(output, channels),
      raw: isIdentity(output),
    };
    if (placement.kind === 'attached') {
      this.#size = placement.size;
      this.images = placement.images;
      this.masks = placement.masks;
      return;
    }
    const shared = placement.kind === 'shared';
    this.#size = shared
      ? placement.size
      : config.geometry.kind === 'none'
        ? undefined
        : config.geometry.size;
    if (this.#size) this.#allocate(this.#size, shared);
  }

  /**
   * Normalization libvips does itself when `normalize({ inDecoder: true })`
   * asks for it: RGB to float32 with 3 or 4 (zero padded) output channels.
   * Images it cannot take (alpha, 16-bit, CMYK) still arrive as 8-bit and go
   * through the lookup tables.
   */
  get vipsNormalize(): VipsNormalize | undefined {
    const { channels, output } = this.#config;
    const out = this.#writer.outChannels;
    if (!output.inDecoder) return undefined;
    if (channels !== 3 || output.dtype !== 'float32' || (out !== 3 && out !== 4)) return undefined;
    return { matrix: normalizeMatrix(output), pad: out === 4 };
  }

  /** `[height, width]` of every sample, once known. */
  get size(): readonly [number, number] | undefined {
    return this.#size;
  }

  get outChannels(): number {
    return this.#writer.outChannels;
  }

  /** Elements per image row of `images`. */
  get imageLength(): number {
    const [h, w] = this.#size ?? [0, 0];
    return h * w * this.#writer.outChannels;
  }

  /**
   * Copies a decoded sample into its row (its image may be absent: the
   * native decoder wrote it); throws when its size differs from the batch's.
   */
  write(row: number, image: DecodedPixels | undefined, mask: DecodedPixels | undefined): void {
    if (image) this.#writeImage(row, image);
    if (!mask) return;
    const [h, w] = this.#size!;
    writeSample(mask.data as Uint8Array, w, h, MASK_WRITER, this.masks!, row, mask.flips);
  }

  /** The per-channel tables as one `3 x 256` array for the native decoder (RGB only). */
  nativeLuts(): Float32Array | Int32Array {
    const luts =
      this.#config.output.dtype === 'int32' ? new Int32Array(3 * 256) : new Float32Array(3 * 256);
    for (let c = 0; c < 3; c++) luts.set(this.#writer.luts[c]!, c * 256);
    return luts;
  }

  #writeImage(row: number, image: DecodedPixels): void {
    if (!this.#size) this.#allocate([image.height, image.width]);
    const [h, w] = this.#size!;
    if (image.height !== h || image.width !== w) {
      throw new Error(
        `image is ${image.width}x${image.height} but the batch is ${w}x${h}; add resize(), centerCrop() or randomResizedCrop() to give every sample one size`,
      );
    }
    if (image.data instanceof Float32Array) {
      copyNormalizedSample(
        image.data,
        h * w,
        image.channels,
        this.#writer.layout,
        this.images as Float32Array,
        row,
      );
    } else {
      writeSample(image.data, w, h, this.#writer, this.images!, row, image.flips);
    }
  }

  #allocate(size: readonly [number, number], shared = false): void {
    this.#size = size;
    const length = this.#rows * size[0] * size[1] * this.#writer.outChannels;
    const memory = (elements: number) => batchMemory.take(elements * 4, shared);
    this.images =
      this.#config.output.dtype === 'int32'
        ? new Int32Array(memory(length), 0, length)
        : new Float32Array(memory(length), 0, length);
    if (this.#config.labels.kind === 'mask') {
      const pixels = this.#rows * size[0] * size[1];
      this.masks = new Int32Array(memory(pixels), 0, pixels);
    }
  }
}
