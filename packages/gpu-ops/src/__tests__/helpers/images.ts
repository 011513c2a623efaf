import sharp from 'sharp';

/** Raw interleaved pixels with their geometry. */
export interface RawImage {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** A deterministic pattern in which neighbouring pixels differ, so an off-by-one crop shows. */
export function patternImage(width: number, height: number, channels: number, salt = 0): RawImage {
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        pixels[(y * width + x) * channels + c] = (x * 7 + y * 13 + c * 71 + salt * 29) & 0xff;
      }
    }
  }
  return { pixels, width, height, channels };
}

export async function encodePng(image: RawImage): Promise<Uint8Array> {
  const { width, height, channels } = image;
  return sharp(image.pixels, { raw: { width, height, channels: channels as 1 | 3 | 4 } })
    .png()
    .toBuffer();
}

/** A one-band gray PNG (colour type 0); `encodePng` of one channel gives an RGB PNG, as sharp writes it. */
export async function encodeGrayPng(image: RawImage): Promise<Uint8Array> {
  const { width, height } = image;
  return sharp(image.pixels, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

export async function encodeJpeg(image: RawImage, quality = 90): Promise<Uint8Array> {
  const { width, height, channels } = image;
  return sharp(image.pixels, { raw: { width, height, channels: channels as 1 | 3 | 4 } })
    .jpeg({ quality })
    .toBuffer();
}

/** Reference decode: sharp's plain raw output of the whole image. */
export async function referenceDecode(bytes: Uint8Array): Promise<RawImage> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height, channels: info.channels };
}

/** Plain-arithmetic crop. */
export function cropRaw(
  image: RawImage,
  left: number,
  top: number,
  width: number,
  height: number,
): RawImage {
  const { channels } = image;
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * channels;
    pixels.set(image.pixels.subarray(from, from + width * channels), y * width * channels);
  }
  return { pixels, width, height, channels };
}

/** Plain-arithmetic mirrors. */
export function flipRaw(image: RawImage, horizontal: boolean, vertical: boolean): RawImage {
  const { width, height, channels } = image;
  const pixels = new Uint8Array(image.pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = horizontal ? width - 1 - x : x;
      const sy = vertical ? height - 1 - y : y;
      for (let c = 0; c < channels; c++) {
        pixels[(y * width + x) * channels + c] = image.pixels[(sy * width + sx) * channels + c]!;
      }
    }
  }
  return { pixels, width, height, channels };
}

/** Reference resize of raw pixels by sharp alone (no crop, no decode involved). */
export async function resizeRaw(
  image: RawImage,
  width: number,
  height: number,
  kernel: 'linear' | 'nearest',
): Promise<RawImage> {
  let pipeline = sharp(image.pixels, {
    raw: { width: image.width, height: image.height, channels: image.channels as 1 | 3 | 4 },
  }).resize(width, height, { fit: 'fill', kernel });
  // sharp widens single-band raw input to sRGB on output unless told to keep one band.
  if (image.channels === 1) pipeline = pipeline.extractChannel(0);
  const { data } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width, height, channels: image.channels };
}

/** Largest absolute difference between two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/**
 * Smooth shapes plus sensor-like noise, so it compresses and resamples like
 * a photo (the benchmark's images): a fair subject for comparing decodes.
 */
export function photoLikeImage(width: number, height: number, salt = 0): RawImage {
  const pixels = new Uint8Array(width * height * 3);
  let seed = 12345 + salt;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const smooth =
          128 +
          90 * Math.sin((x + salt * 17) / (23 + c * 7)) * Math.cos((y - salt * 5) / (31 + c * 3));
        pixels[(y * width + x) * 3 + c] = Math.max(
          0,
          Math.min(255, smooth + ((seed >>> 24) - 128) / 6),
        );
      }
    }
  }
  return { pixels, width, height, channels: 3 };
}
