import { toNativeIoError } from './errors.js';
import type { NativeBinding } from './load.js';
import { loadedBinding } from './load.js';

/** Numbers per image in `JpegBatch.tasks`. */
export const JPEG_TASK_FIELDS = 10;

/** Task flags: mirror left-right, top-bottom. */
export const JPEG_FLIP_HORIZONTAL = 1;
export const JPEG_FLIP_VERTICAL = 2;

/**
 * One batch for the region decoder. `tasks` holds JPEG_TASK_FIELDS numbers
 * per image: byte start and length in `data`, the image's width and height
 * (as its header gives them; the window was planned on them), the crop
 * window (left, top, width, height, in source pixels), flags, and the batch
 * row written. Each image is decoded at the DCT scale its window allows,
 * only its window's rows and iMCU columns, resized to `height` x `width`
 * (antialiased bilinear, as sharp's 'linear'), mirrored, and written
 * through `luts` (3 x 256 entries: the value each 8-bit level of R, G, B
 * becomes) into row `row` of `out`, NHWC or NCHW with `channels` >= 3
 * (zero padding past 3). `out` and `luts` are both Float32Array or both
 * Int32Array. None of the arrays may change until the promise settles.
 */
export interface JpegBatch {
  readonly data: Uint8Array;
  readonly tasks: Uint32Array;
  readonly out: Float32Array | Int32Array;
  readonly luts: Float32Array | Int32Array;
  readonly rows: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly layout: 'NHWC' | 'NCHW';
  /** Decode threads (the pool keeps the most any call asked for). */
  readonly threads: number;
}

/** Per task: 'ok'; 'unsupported' (CMYK, 12-bit, lossless: decode it another way); 'corrupt'; 'invalid' (a bad window). */
export type JpegOutcome = 'ok' | 'unsupported' | 'corrupt' | 'invalid';

const OUTCOMES: readonly JpegOutcome[] = ['ok', 'unsupported', 'corrupt', 'invalid'];

export interface JpegBatchResult {
  /** One per task, in task order. */
  readonly outcomes: JpegOutcome[];
  /** libjpeg-turbo's words for a failed task ('' for 'ok'). */
  readonly messages: string[];
}

/** The addon's JPEG region decoder (libjpeg-turbo, statically linked). */
export interface JpegDecoder {
  /** libjpeg-turbo's version. */
  readonly version: string;
  /** Whether it was built with its SIMD kernels (without nasm it is not, and about half as fast). */
  readonly simd: boolean;
  decode(batch: JpegBatch): Promise<JpegBatchResult>;
}

interface JpegBinding {
  decodeJpegBatch(
    data: Uint8Array,
    tasks: Uint32Array,
    out: Float32Array | Int32Array,
    luts: Float32Array | Int32Array,
    shape: Int32Array,
  ): Promise<{ outcomes: Int32Array; messages: string[] }>;
  jpegDecoder: { libjpegTurbo: string; simd: boolean };
}

function hasJpeg(binding: NativeBinding): binding is NativeBinding & JpegBinding {
  return typeof (binding as Partial<JpegBinding>).decodeJpegBatch === 'function';
}

/**
 * The region decoder, or undefined when the addon does not load or was
 * built without libjpeg-turbo (see scripts/build-libjpeg-turbo.sh): callers
 * then decode another way (@cassdl/gpu-ops uses sharp).
 */
export function loadJpegDecoder(): JpegDecoder | undefined {
  const binding = loadedBinding();
  if (!binding || !hasJpeg(binding)) return undefined;
  return {
    version: binding.jpegDecoder.libjpegTurbo,
    simd: binding.jpegDecoder.simd,
    async decode(batch: JpegBatch): Promise<JpegBatchResult> {
      const shape = Int32Array.of(
        batch.rows,
        batch.height,
        batch.width,
        batch.channels,
        batch.layout === 'NCHW' ? 1 : 0,
        batch.threads,
      );
      let raw: { outcomes: Int32Array; messages: string[] };
      try {
        raw = await binding.decodeJpegBatch(batch.data, batch.tasks, batch.out, batch.luts, shape);
      } catch (error) {
        // Made after the await: V8's async stack trace names the callers awaiting this batch.
        throw toNativeIoError(error);
      }
      return {
        outcomes: Array.from(raw.outcomes, (o) => OUTCOMES[o] ?? 'invalid'),
        messages: raw.messages,
      };
    },
  };
}
