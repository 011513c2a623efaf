import { validate } from '@cassdl/schema';
import sharp from 'sharp';
import { z } from 'zod';
import type { SampleTransform } from './dataset-writer.js';

export type ImageOutputFormat = 'jpeg' | 'png' | 'webp';

export interface ImageTransformOptions {
  /** Resize so the shorter side is this many pixels, keeping the aspect ratio (the plugin's `get_data(img_size=...)`). */
  readonly resize?: number;
  /** With `resize`, cut the centre square `resize x resize` (the plugin's `crop=True`). Default false. */
  readonly crop?: boolean;
  /** Re-encode as this format. Default: the source's own (JPEG stays JPEG, PNG stays PNG). */
  readonly format?: ImageOutputFormat;
  /** JPEG/WebP quality, 1 to 100. Default 90. */
  readonly quality?: number;
}

export const imageTransformSchema = z
  .strictObject({
    resize: z.int().min(1).max(65_535).optional(),
    crop: z.boolean().default(false),
    format: z.enum(['jpeg', 'png', 'webp']).optional(),
    quality: z.int().min(1).max(100).optional(),
  })
  .refine((o) => !(o.crop && o.resize === undefined), {
    path: ['crop'],
    error: 'crop needs resize (the side of the square)',
  })
  .refine((o) => !(o.quality !== undefined && o.format === 'png'), {
    path: ['quality'],
    error: 'quality applies to jpeg and webp, not png (lossless)',
  });

const DEFAULT_QUALITY = 90;

/**
 * A `transform` for `DatasetWriter` that resizes and re-encodes images with
 * sharp (libvips): what the plugin's examples do in `get_data` with PIL.
 * EXIF orientation is applied first, so the stored pixels are upright.
 * Returns null when there is nothing to do.
 */
export function imageTransform(input: ImageTransformOptions): SampleTransform | null {
  const o = validate(imageTransformSchema, input, 'image', 'image options');
  if (o.resize === undefined && o.format === undefined) return null;
  return async (bytes) => {
    let image = sharp(bytes).rotate();
    if (o.resize !== undefined) {
      image = o.crop
        ? image.resize(o.resize, o.resize, { fit: 'cover', position: 'centre' })
        : await shorterSide(image, bytes, o.resize);
    }
    const format = o.format ?? (await sourceFormat(bytes));
    const quality = o.quality ?? DEFAULT_QUALITY;
    if (format === 'png') image = image.png();
    else if (format === 'webp') image = image.webp({ quality });
    else image = image.jpeg({ quality });
    return new Uint8Array(await image.toBuffer());
  };
}

/**
 * The same geometry for a mask, with nearest-neighbour sampling so class
 * values are never blended, always stored as PNG (lossless).
 */
export function maskTransform(input: ImageTransformOptions): SampleTransform | null {
  const o = validate(imageTransformSchema, input, 'image', 'image options');
  if (o.resize === undefined) return null;
  const side = o.resize;
  return async (bytes) => {
    const base = sharp(bytes);
    const image = o.crop
      ? base.resize(side, side, { fit: 'cover', position: 'centre', kernel: 'nearest' })
      : await shorterSide(base, bytes, side, 'nearest');
    return new Uint8Array(await image.png().toBuffer());
  };
}

async function shorterSide(
  image: sharp.Sharp,
  bytes: Uint8Array,
  side: number,
  kernel: keyof sharp.KernelEnum = 'lanczos3',
): Promise<sharp.Sharp> {
  const meta = await sharp(bytes).metadata();
  // Orientations 5-8 swap width and height once rotated.
  const swap = (meta.orientation ?? 1) >= 5;
  const w = (swap ? meta.height : meta.width) ?? side;
  const h = (swap ? meta.width : meta.height) ?? side;
  const scale = side / Math.min(w, h);
  return image.resize(Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale)), {
    kernel,
  });
}

async function sourceFormat(bytes: Uint8Array): Promise<ImageOutputFormat> {
  const { format } = await sharp(bytes).metadata();
  return format === 'png' || format === 'webp' ? format : 'jpeg';
}
