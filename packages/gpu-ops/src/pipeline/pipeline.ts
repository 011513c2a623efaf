import type { RawBatch } from '@cassdl/schema';
import { CassdlValidationError, validationIssue } from '@cassdl/schema';
import type * as tf from '@tensorflow/tfjs-core';
import type { DecodeStats } from '../decode/decode-stats.js';
import { addStats, emptyStats } from '../decode/decode-stats.js';
import type { DecoderInUse, LoadedNativeJpeg } from '../decode/native-jpeg.js';
import { loadNativeJpeg, nativeUnfit } from '../decode/native-jpeg.js';
import { GpuOpsError } from '../errors/index.js';
import type { GeometrySpec } from '../geometry/sample-plan.js';
import type {
  CenterCropOptions,
  DecodeOptions,
  FlipOptions,
  IntLabelOptions,
  MaskOptions,
  NormalizeOptions,
  NpyLabelOptions,
  PipelineOptions,
  RandomResizedCropOptions,
  ResizeOptions,
} from '../options/schemas.js';
import {
  centerCropSchema,
  decodeSchema,
  flipSchema,
  intLabelsSchema,
  maskSchema,
  normalizeSchema,
  npyLabelsSchema,
  pipelineSchema,
  randomResizedCropSchema,
  resizeSchema,
} from '../options/schemas.js';
import { validateOptions } from '../options/validate.js';
import type { PoolLease } from '../workers/pool-registry.js';
import { acquirePool, resolveWorkerThreads } from '../workers/pool-registry.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import type { PipelineConfig } from './config.js';
import { DEFAULT_OUTPUT } from './config.js';
import type { PipelineOutput } from './run-batch.js';
import { runBatch } from './run-batch.js';

/**
 * Starts a preprocessing pipeline. Steps return a new pipeline (the old one
 * is unchanged), and run in a fixed order whatever the call order:
 * decode → crop window → resize → flips → normalize/layout/dtype, labels.
 *
 * ```ts
 * const p = pipeline({ seed: 42 })
 *   .decode({ channels: 3 })
 *   .randomResizedCrop({ size: 224 })
 *   .flip({ horizontal: 0.5 })
 *   .normalize({ mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] })
 *   .labels({ oneHot: 1000 });
 * const { xs, ys } = await p.run(batch); // dispose xs and ys when done
 * ```
 */
export function pipeline(options: PipelineOptions = {}): Pipeline<tf.Tensor | undefined> {
  const base = validateOptions(pipelineSchema, options, 'pipeline');
  return new Pipeline({
    ...base,
    channels: 3,
    geometry: { kind: 'none' },
    flip: { horizontal: 0, vertical: 0 },
    output: DEFAULT_OUTPUT,
    labels: { kind: 'auto' },
  });
}

/** Where a pipeline's per-image JS work runs, known after its first `run`. */
export type PipelineExecutor =
  | { readonly kind: 'workers'; readonly threads: number }
  | { readonly kind: 'in-thread'; readonly reason: string };

type OneHot<O, WithDepth, Without> = O extends { oneHot: number } ? WithDepth : Without;

/** A reusable, immutable description of batch preprocessing; `Ys` is what `run` puts in `ys`. */
export class Pipeline<Ys extends tf.Tensor | undefined> {
  readonly #config: PipelineConfig;
  readonly #stats: DecodeStats = emptyStats();
  #lease: PoolLease | undefined;
  #executor: PipelineExecutor | undefined;
  #decoder: DecoderInUse | undefined;

  /** Use `pipeline()`. */
  constructor(config: PipelineConfig) {
    checkConsistency(config);
    this.#config = config;
  }

  /** The validated configuration (for logging and reproducibility records). */
  get config(): PipelineConfig {
    return this.#config;
  }

  /** Counts summed over every `run` of this pipeline object (`corruptIds` stays empty; see each run's stats). */
  get stats(): Readonly<DecodeStats> {
    return { ...this.#stats, corruptIds: [] };
  }

  /**
   * Where the last `run` did its per-image JS work: on `workers` threads, or
   * `in-thread` with the reason (`workers: 0`, workers failed to start, a
   * worker died). Undefined before the first run.
   */
  get executor(): PipelineExecutor | undefined {
    return this.#executor;
  }

  /** Decoded channel count: 1 (gray), 3 (RGB, default), 4 (RGBA). */
  decode(options: DecodeOptions = {}): Pipeline<Ys> {
    return this.#with({ channels: validateOptions(decodeSchema, options, 'decode').channels });
  }

  /** Resizes the whole image to `size` (`[height, width]` or a number). */
  resize(options: ResizeOptions): Pipeline<Ys> {
    const o = validateOptions(resizeSchema, options, 'resize');
    return this.#geometry({ kind: 'resize', ...o }, 'resize');
  }

  /** Center window of `size` pixels, or (with `fraction`) of the image's shorter fit, resized to `size`. */
  centerCrop(options: CenterCropOptions): Pipeline<Ys> {
    const o = validateOptions(centerCropSchema, options, 'centerCrop');
    return this.#geometry({ kind: 'centerCrop', ...o, fraction: o.fraction }, 'centerCrop');
  }

  /** Seeded random window (area `scale`, aspect `ratio`), resized to `size`; fused into the decode. */
  randomResizedCrop(options: RandomResizedCropOptions): Pipeline<Ys> {
    const o = validateOptions(randomResizedCropSchema, options, 'randomResizedCrop');
    return this.#geometry({ kind: 'randomResizedCrop', ...o }, 'randomResizedCrop');
  }

  /** Seeded mirrors with the given probabilities, applied identically to a sample's mask. */
  flip(options: FlipOptions): Pipeline<Ys> {
    return this.#with({ flip: validateOptions(flipSchema, options, 'flip') });
  }

  /**
   * `scale * (pixel - mean) / std + shift` per channel (pixel units 0-255, as
   * DALI's crop_mirror_normalize), plus dtype, layout and channel padding.
   */
  normalize(options: NormalizeOptions): Pipeline<Ys> {
    const o = validateOptions(normalizeSchema, options, 'normalize');
    const pad = o.padChannels === true ? 4 : o.padChannels === false ? undefined : o.padChannels;
    // TensorFlow.js has no uint8 tensors: raw 8-bit pixels travel as int32 (values 0-255).
    const dtype = o.dtype === 'float32' || o.dtype === 'float16' ? 'float32' : 'int32';
    return this.#with({ output: { ...o, dtype, channels: pad } });
  }

  /** Int labels: `[n]` int32 indices, or `[n, oneHot]` float32 rows. */
  labels<O extends IntLabelOptions>(options: O): Pipeline<OneHot<O, tf.Tensor2D, tf.Tensor1D>>;
  /** Blob labels holding `.npy` arrays: one `[n, ...shape]` tensor. */
  labels(options: NpyLabelOptions): Pipeline<tf.Tensor>;
  labels(options: IntLabelOptions | NpyLabelOptions): Pipeline<tf.Tensor> {
    if (typeof options === 'object' && options !== null && 'npy' in options) {
      const o = validateOptions(npyLabelsSchema, options, 'labels');
      return this.#with({ labels: { kind: 'npy', dtype: o.npy.dtype } }) as Pipeline<tf.Tensor>;
    }
    const o = validateOptions(intLabelsSchema, options, 'labels');
    return this.#with({
      labels: { kind: 'int', oneHot: o.oneHot, dtype: o.dtype },
    }) as Pipeline<tf.Tensor>;
  }

  /**
   * Blob labels holding 8-bit gray PNG masks: same window and flips as the
   * image, nearest resize, class ids exact. `[n, h, w]` int32, or
   * `[n, h, w, oneHot]` float32.
   */
  mask<O extends MaskOptions>(options?: O): Pipeline<OneHot<O, tf.Tensor4D, tf.Tensor3D>> {
    const o = validateOptions(maskSchema, options ?? {}, 'mask');
    return this.#with({ labels: { kind: 'mask', oneHot: o.oneHot } }) as Pipeline<
      OneHot<O, tf.Tensor4D, tf.Tensor3D>
    >;
  }

  /**
   * Turns one batch into tensors. The caller owns `xs` and `ys` and must
   * `dispose()` them (`tf.tidy` cannot wrap an async call, so dispose
   * explicitly); nothing else stays allocated between batches. Several runs
   * of one pipeline may be in flight at once.
   */
  async run(batch: RawBatch): Promise<PipelineOutput<Ys>> {
    const native = await this.#native();
    const pool = await this.#pool();
    const out = await runBatch(this.#config, batch, pool, native);
    // A worker that died mid-batch made runBatch redo it in-thread.
    if (pool?.broken) this.#executor = { kind: 'in-thread', reason: pool.broken };
    addStats(this.#stats, out.stats);
    return out as PipelineOutput<Ys>;
  }

  /**
   * Releases this pipeline's worker threads (terminated once no other
   * pipeline shares them). Idle workers never keep the process alive, so
   * skipping it only holds memory; a later `run` starts them again.
   * Pipelines made from this one by adding steps hold their own claim.
   */
  async close(): Promise<void> {
    const lease = this.#lease;
    this.#lease = undefined;
    await lease?.release();
  }

  /**
   * Which decoder takes this pipeline's JPEGs: `native` (libjpeg-turbo's
   * region decode in @cassdl/native-io, on its own threads) or `sharp`
   * with the reason. Undefined before the first run.
   */
  get decoder(): DecoderInUse | undefined {
    return this.#decoder;
  }

  async #native(): Promise<LoadedNativeJpeg | undefined> {
    const { decoder } = this.#config;
    const unfit = nativeUnfit(this.#config);
    // Checked at the first run: the steps that make a pipeline fit come after pipeline().
    if (decoder === 'native' && unfit) {
      const issue = validationIssue(
        'pipeline.decoder',
        "'auto' or 'sharp' for this pipeline",
        `'native', which does not take ${unfit}`,
      );
      throw new CassdlValidationError([issue], 'pipeline options');
    }
    if (decoder === 'sharp' || unfit) {
      const reason = unfit ? `the native decoder does not take ${unfit}` : "decoder: 'sharp'";
      this.#decoder = { kind: 'sharp', reason };
      return undefined;
    }
    const native = await loadNativeJpeg();
    if ('reason' in native) {
      if (decoder === 'native') {
        throw new GpuOpsError(
          'ERR_GPU_OPS_DECODER',
          `decoder: 'native' but ${native.reason}; build @cassdl/native-io with libjpeg-turbo or choose decoder: 'auto'`,
        );
      }
      this.#decoder = { kind: 'sharp', reason: native.reason };
      return undefined;
    }
    const { version, simd } = native.decoder;
    this.#decoder = { kind: 'native', libjpegTurbo: version, simd, threads: native.threads };
    return native;
  }

  async #pool(): Promise<WorkerPool | undefined> {
    const threads = resolveWorkerThreads(this.#config.workers);
    if (threads === 0) {
      this.#executor = { kind: 'in-thread', reason: 'workers: 0' };
      return undefined;
    }
    this.#lease ??= acquirePool(threads);
    try {
      const pool = await this.#lease.pool;
      const broken = pool.broken;
      this.#executor = broken
        ? { kind: 'in-thread', reason: broken }
        : { kind: 'workers', threads: pool.threads };
      return broken ? undefined : pool;
    } catch (error) {
      this.#executor = { kind: 'in-thread', reason: (error as Error).message };
      return undefined;
    }
  }

  #with(patch: Partial<PipelineConfig>): Pipeline<Ys> {
    return new Pipeline<Ys>({ ...this.#config, ...patch });
  }

  #geometry(geometry: GeometrySpec, step: string): Pipeline<Ys> {
    if (this.#config.geometry.kind !== 'none') {
      const issue = validationIssue(
        step,
        'one geometry step per pipeline (resize, centerCrop or randomResizedCrop)',
        `a second one after ${this.#config.geometry.kind}()`,
      );
      throw new CassdlValidationError([issue], `${step} options`);
    }
    return this.#with({ geometry });
  }
}

/** Checks that span steps (normalize's per-channel values against decode's channels). */
function checkConsistency(config: PipelineConfig): void {
  const { channels, output } = config;
  const issues = [];
  for (const key of ['mean', 'std'] as const) {
    const values = output[key];
    if (values.length !== 1 && values.length !== channels) {
      issues.push(
        validationIssue(
          `normalize.${key}`,
          `1 or ${channels} values (decode channels: ${channels})`,
          `${values.length} values`,
        ),
      );
    }
  }
  if (output.channels !== undefined && output.channels < channels) {
    issues.push(
      validationIssue(
        'normalize.padChannels',
        `>= ${channels} (decode channels)`,
        `${output.channels}`,
      ),
    );
  }
  if (issues.length > 0) throw new CassdlValidationError(issues, 'pipeline options');
}
