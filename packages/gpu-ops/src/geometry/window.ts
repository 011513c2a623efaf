import type { Uniform } from '../random/sample-random.js';

/** A rectangle of the source image, in source pixels. */
export interface CropWindow {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Output size `[height, width]`, the order tf.image uses. */
export type Size2D = readonly [height: number, width: number];

/** The whole image. */
export function fullWindow(width: number, height: number): CropWindow {
  return { left: 0, top: 0, width, height };
}

/**
 * Random resized crop as torchvision and DALI's `random_resized_crop` pick
 * it: an area fraction from `scale` and an aspect ratio (width / height)
 * log-uniform in `ratio`, up to `attempts` tries for a window that fits;
 * then the center window with the aspect ratio clamped into `ratio`.
 */
export function randomResizedCropWindow(
  width: number,
  height: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  attempts: number,
  random: Uniform,
): CropWindow {
  const area = width * height;
  const logLo = Math.log(ratio[0]);
  const logHi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const targetArea = area * (scale[0] + (scale[1] - scale[0]) * random());
    const aspect = Math.exp(logLo + (logHi - logLo) * random());
    const w = Math.round(Math.sqrt(targetArea * aspect));
    const h = Math.round(Math.sqrt(targetArea / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      const top = Math.floor(random() * (height - h + 1));
      const left = Math.floor(random() * (width - w + 1));
      return { left, top, width: w, height: h };
    }
  }
  return centerAspectWindow(width, height, ratio);
}

function centerAspectWindow(
  width: number,
  height: number,
  ratio: readonly [number, number],
): CropWindow {
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < ratio[0]) h = clamp(Math.round(w / ratio[0]), 1, height);
  else if (inRatio > ratio[1]) w = clamp(Math.round(h * ratio[1]), 1, width);
  return centered(width, height, w, h);
}

/**
 * Center crop. Without `fraction`: a window of exactly `size` pixels (cut to
 * the image where it is smaller), so no resampling happens when the image is
 * large enough. With `fraction`: the largest centered window with the aspect
 * ratio of `size`, scaled by `fraction`, later resized to `size`; fraction
 * 0.875 is the usual "resize to 256, crop 224" evaluation transform.
 */
export function centerCropWindow(
  width: number,
  height: number,
  size: Size2D,
  fraction: number | undefined,
): CropWindow {
  const [outH, outW] = size;
  if (fraction === undefined)
    return centered(width, height, Math.min(width, outW), Math.min(height, outH));
  const fit = Math.min(width / outW, height / outH);
  const w = clamp(Math.round(outW * fit * fraction), 1, width);
  const h = clamp(Math.round(outH * fit * fraction), 1, height);
  return centered(width, height, w, h);
}

function centered(width: number, height: number, w: number, h: number): CropWindow {
  return {
    left: Math.floor((width - w) / 2),
    top: Math.floor((height - h) / 2),
    width: w,
    height: h,
  };
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
