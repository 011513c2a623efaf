import { availableParallelism } from 'node:os';
import type { JpegBatch, JpegDecoder } from '@cassdl/native-io';
import type { RawBatch } from '@cassdl/schema';
import { sampleData } from '../batch/views.js';
import { planSample } from '../geometry/sample-plan.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { readImageHeader } from './image-header.js';

/** `JPEG_TASK_FIELDS` and `JPEG_FLIP_*` of @cassdl/native-io (a runtime import would make it required). */
const TASK_FIELDS = 10;
const FLIP_HORIZONTAL = 1;
const FLIP_VERTICAL = 2;

/**
 * Which decoder turns JPEGs into pixels: `'auto'` (the native region
 * decoder of @cassdl/native-io when its addon loads with libjpeg-turbo, else
 * sharp), `'native'` (that decoder or an error) or `'sharp'` (libvips).
 */
export type DecoderChoice = 'auto' | 'native' | 'sharp';

/** The decoder a pipeline's JPEGs went through, known after its first `run`. */
export type DecoderInUse =
  | {
      readonly kind: 'native';
      /** libjpeg-turbo's version, and whether its SIMD kernels were built in. */
      readonly libjpegTurbo: string;
      readonly simd: boolean;
      readonly threads: number;
    }
  | { readonly kind: 'sharp'; readonly reason: string };

/** The native decoder and the threads it decodes on. */
export interface LoadedNativeJpeg {
  readonly decoder: JpegDecoder;
  readonly threads: number;
}

/** The native decoder, loaded once per process, or why it is absent. */
export type NativeJpeg =
  | LoadedNativeJpeg
  | { readonly decoder: undefined; readonly reason: string };

let loading: Promise<NativeJpeg> | undefined;

/**
 * Loads @cassdl/native-io lazily: it is an optional dependency, and an addon
 * built without libjpeg-turbo has no decoder; either is an answer (sharp
 * decodes instead), not a crash. Two decode threads per two cores, as many
 * as the cores: they are the whole decode, not helpers of a JS thread.
 */
export function loadNativeJpeg(): Promise<NativeJpeg> {
  loading ??= (async (): Promise<NativeJpeg> => {
    let module: Partial<typeof import('@cassdl/native-io')>;
    try {
      const specifier = '@cassdl/native-io';
      module = (await import(specifier)) as typeof module;
    } catch (error) {
      return {
        decoder: undefined,
        reason: `@cassdl/native-io does not import: ${messageOf(error)}`,
      };
    }
    if (typeof module.loadJpegDecoder !== 'function' || module.JPEG_TASK_FIELDS !== TASK_FIELDS)
      return { decoder: undefined, reason: '@cassdl/native-io has no matching loadJpegDecoder' };
    const decoder = module.loadJpegDecoder();
    if (!decoder) {
      const why = module.loadNative?.();
      const reason =
        why && !why.available
          ? `the @cassdl/native-io addon does not load: ${why.causes.join('; ')}`
          : 'the @cassdl/native-io addon was built without libjpeg-turbo';
      return { decoder: undefined, reason };
    }
    return { decoder, threads: Math.max(1, Math.min(16, availableParallelism())) };
  })();
  return loading;
}

/**
 * Why a pipeline's configuration cannot use the native decoder, or
 * undefined when it can: it decodes RGB, resizes bilinearly (sharp's
 * 'linear') to a fixed size, and normalizes through a table itself.
 */
export function nativeUnfit(config: PipelineConfig): string | undefined {
  if (config.channels !== 3)
    return `decode({ channels: ${config.channels} }) (it decodes RGB only)`;
  if (config.geometry.kind === 'none')
    return 'no geometry step (it needs the output size before decoding)';
  if (config.geometry.interpolation !== 'bilinear')
    return `interpolation '${config.geometry.interpolation}' (it resizes bilinearly only)`;
  return undefined;
}

/** One batch's JPEG rows for the native decoder. */
export interface NativeRows {
  /** JPEG_TASK_FIELDS numbers per row, as `JpegBatch.tasks`. */
  readonly tasks: Uint32Array;
  /** The batch row of each task. */
  readonly rows: readonly number[];
}

/**
 * Plans the batch's rows the native decoder takes: 8-bit gray or colour
 * JPEGs whose header reads. The window and flips come from `planSample`
 * with the sample's key, exactly as the sharp path draws them, so a row
 * looks the same whichever decoder ran. Every other row (PNG, CMYK, an
 * unreadable header) is left to sharp, which reports it as it always has.
 */
export function planNativeRows(config: PipelineConfig, batch: RawBatch): NativeRows {
  const tasks: number[] = [];
  const rows: number[] = [];
  for (let row = 0; row < batch.size; row++) {
    const start = batch.dataOffsets[row]!;
    const end = batch.dataOffsets[row + 1]!;
    let header: ReturnType<typeof readImageHeader>;
    try {
      header = readImageHeader(sampleData(batch, row));
    } catch {
      continue; // the sharp path names the problem
    }
    if (header.format !== 'jpeg' || !header.plain8Bit) continue;
    const plan = planSample(header.width, header.height, config.geometry, config.flip, {
      seed: config.seed,
      epoch: batch.epoch,
      batchIndex: batch.index,
      sampleIndex: row,
    });
    const { left, top, width, height } = plan.window;
    const flags =
      (plan.flipHorizontal ? FLIP_HORIZONTAL : 0) | (plan.flipVertical ? FLIP_VERTICAL : 0);
    tasks.push(
      start,
      end - start,
      header.width,
      header.height,
      left,
      top,
      width,
      height,
      flags,
      row,
    );
    rows.push(row);
  }
  return { tasks: Uint32Array.from(tasks), rows };
}

/**
 * Decodes the planned rows into `out` on the decoder's threads. Returns,
 * per task, whether its pixels are in place; a row it refuses or cannot
 * decode (CMYK, corrupt bytes) is left for sharp, which decodes it or
 * names the problem in its usual words.
 */
export async function decodeNativeRows(
  native: LoadedNativeJpeg,
  batch: Omit<JpegBatch, 'tasks' | 'threads'>,
  planned: NativeRows,
): Promise<boolean[]> {
  const { outcomes } = await native.decoder.decode({
    ...batch,
    tasks: planned.tasks,
    threads: native.threads,
  });
  return outcomes.map((outcome) => outcome === 'ok');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
