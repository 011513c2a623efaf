import { z } from 'zod';
import { isIdentity } from '../normalize/channel-lut.js';

/** Output size: `[height, width]` or one number for a square. */
const size = z
  .union(
    [
      z.number().int().positive(),
      z.tuple([z.number().int().positive(), z.number().int().positive()]),
    ],
    { error: 'a positive integer or [height, width] of positive integers' },
  )
  .transform((value): readonly [number, number] =>
    typeof value === 'number' ? [value, value] : value,
  );

const probability = z.number().min(0).max(1);
const interpolation = z.enum(['bilinear', 'nearest', 'bicubic', 'lanczos3']);

const range = (lo: z.ZodNumber) =>
  z.tuple([lo, lo]).refine(([a, b]) => a <= b, { message: 'a range [low, high] with low <= high' });

export const pipelineSchema = z.strictObject({
  /** Seed of every random choice; same seed, epoch, batch index: same augmentation. */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** Images decoding at once; libvips also uses `sharp.concurrency()` threads per image. */
  concurrency: z.number().int().min(1).max(1024).default(16),
  onCorrupt: z.enum(['error', 'skip', 'replace']).default('error'),
  /**
   * Worker threads that read headers, plan crops and normalize, so the JS
   * thread only dispatches and uploads: 'auto' (a quarter of the cores,
   * 1-8), a count, or 0 for the in-thread path.
   */
  workers: z
    .union([z.literal('auto'), z.number().int().min(0).max(64)], {
      error: "'auto' or a thread count 0-64 (0: decode from the JS thread)",
    })
    .default('auto'),
  /**
   * JPEG decoder: 'auto' (the native region decoder of @cassdl/native-io
   * when its addon loads, else sharp), 'native' (that or an error), 'sharp'.
   */
  decoder: z.enum(['auto', 'native', 'sharp']).default('auto'),
});

const channels = z.union([z.literal(1), z.literal(3), z.literal(4)], {
  error: '1 (gray), 3 (RGB) or 4 (RGBA)',
});

export const decodeSchema = z.strictObject({
  channels: channels.default(3),
});

export const resizeSchema = z.strictObject({
  size,
  interpolation: interpolation.default('bilinear'),
});

export const centerCropSchema = z.strictObject({
  size,
  fraction: z.number().gt(0).max(1).optional(),
  interpolation: interpolation.default('bilinear'),
});

export const randomResizedCropSchema = z.strictObject({
  size,
  scale: range(z.number().gt(0).max(1)).default([0.08, 1]),
  ratio: range(z.number().gt(0)).default([3 / 4, 4 / 3]),
  attempts: z.number().int().min(1).max(100).default(10),
  interpolation: interpolation.default('bilinear'),
});

export const flipSchema = z.strictObject({
  horizontal: probability.default(0),
  vertical: probability.default(0),
});

const channelValues = z.array(z.number().refine(Number.isFinite, 'a finite number')).min(1).max(4);

export const normalizeSchema = z
  .strictObject({
    mean: channelValues.default([0]),
    std: z.array(z.number().gt(0)).min(1).max(4).default([1]),
    scale: z.number().refine(Number.isFinite, 'a finite number').default(1),
    shift: z.number().refine(Number.isFinite, 'a finite number').default(0),
    dtype: z.enum(['float32', 'uint8', 'int32', 'float16']).default('float32'),
    layout: z.enum(['NHWC', 'NCHW']).default('NHWC'),
    /** Pad the channel axis with zeros up to this many channels (true: 4). */
    padChannels: z
      .union([z.boolean(), z.number().int().min(1).max(16)], {
        error: 'true (4), false, or a channel count 1-16',
      })
      .default(false),
    /**
     * Do the arithmetic on the libvips threads (RGB, float32, 3 or 4 output
     * channels): less JS-thread time, more total CPU. See the README's table.
     */
    inDecoder: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    if (value.dtype === 'float16') {
      ctx.addIssue({
        code: 'custom',
        path: ['dtype'],
        input: value.dtype,
        message:
          "'float32', 'uint8' or 'int32': TensorFlow.js 4 has no float16 tensor dtype on any backend (webgl packs halves internally but still exposes float32)",
      });
    }
    if ((value.dtype === 'uint8' || value.dtype === 'int32') && !isIdentity(value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dtype'],
        input: value.dtype,
        message: `'float32' when mean/std/scale/shift change values ('${value.dtype}' carries raw pixels only)`,
      });
    }
  });

export const intLabelsSchema = z.strictObject({
  /** Number of classes: labels become a float32 one-hot matrix [n, oneHot]. */
  oneHot: z
    .number()
    .int()
    .min(1)
    .max(1 << 20)
    .optional(),
  dtype: z.enum(['int32', 'float32']).optional(),
});

export const npyLabelsSchema = z.strictObject({
  npy: z.strictObject({
    dtype: z.enum(['float32', 'int32', 'bool']).default('float32'),
  }),
});

export const maskSchema = z.strictObject({
  /** Number of classes: masks become float32 one-hot [n, h, w, oneHot] instead of int32 [n, h, w]. */
  oneHot: z.number().int().min(1).max(4096).optional(),
});

export type PipelineOptions = z.input<typeof pipelineSchema>;
export type DecodeOptions = z.input<typeof decodeSchema>;
export type ResizeOptions = z.input<typeof resizeSchema>;
export type CenterCropOptions = z.input<typeof centerCropSchema>;
export type RandomResizedCropOptions = z.input<typeof randomResizedCropSchema>;
export type FlipOptions = z.input<typeof flipSchema>;
export type NormalizeOptions = z.input<typeof normalizeSchema>;
export type IntLabelOptions = z.input<typeof intLabelsSchema>;
export type NpyLabelOptions = z.input<typeof npyLabelsSchema>;
export type MaskOptions = z.input<typeof maskSchema>;

export const decodeBatchSchema = z.strictObject({
  channels: channels.default(3),
  size: size.optional(),
  interpolation: interpolation.default('bilinear'),
  concurrency: z.number().int().min(1).max(1024).default(16),
  onCorrupt: z.enum(['error', 'skip', 'replace']).default('error'),
});
