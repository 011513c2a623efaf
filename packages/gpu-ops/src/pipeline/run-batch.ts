import type { RawBatch } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs-core';
import { formatSampleId } from '../batch/sample-id.js';
import { checkBatchShape } from '../batch/views.js';
import { applyRowMap, resolveFailures } from '../decode/corrupt-policy.js';
import type { DecodeStats } from '../decode/decode-stats.js';
import type { LoadedNativeJpeg } from '../decode/native-jpeg.js';
import { GpuOpsError, SampleLabelError } from '../errors/index.js';
import { intLabelTensor } from '../labels/int-labels.js';
import { npyLabelTensor } from '../labels/npy-labels.js';
import { decodeInWorkers } from '../workers/decode-in-workers.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import { WorkerUnavailableError } from '../workers/worker-pool.js';
import type { BatchBuffers } from './batch-buffers.js';
import { batchMemory } from './buffer-recycler.js';
import type { PipelineConfig } from './config.js';
import type { DecodedRows } from './decode-in-thread.js';
import { decodeInThread } from './decode-in-thread.js';
import { decodeWithNative } from './decode-native.js';

/** What `run` returns. The caller owns `xs` and `ys` and must dispose them. */
export interface PipelineOutput<Ys extends tf.Tensor | undefined = tf.Tensor | undefined> {
  /** Images, `[n, h, w, c]` (NHWC) or `[n, c, h, w]` (NCHW). */
  readonly xs: tf.Tensor4D;
  /** Labels or masks, per the pipeline's `labels()`/`mask()` step; undefined for label-less tables. */
  readonly ys: Ys;
  /** 16-byte ids of the output rows (after skip/replace), in row order. */
  readonly ids: Uint8Array;
  /** Batch row each output row came from (differs from `0..n-1` only after skip/replace). */
  readonly sourceRows: Int32Array;
  /** Counts for this batch. */
  readonly stats: DecodeStats;
}

/**
 * One batch through a pipeline: decode into one buffer (JPEGs on the native
 * decoder's threads when it is given; the rest on the worker pool when
 * there is one, else from this thread), resolve failures, one upload per
 * tensor. A pool that breaks mid-batch costs a retry of that batch
 * in-thread, never a wrong or missing row.
 */
export async function runBatch(
  config: PipelineConfig,
  batch: RawBatch,
  pool?: WorkerPool,
  native?: LoadedNativeJpeg,
): Promise<PipelineOutput> {
  checkBatchShape(batch);
  checkLabelKind(config, batch);
  const { buffers, failures } =
    (native && (await decodeWithNative(native, config, batch, pool))) ??
    (pool && (await decodeInWorkersOrUndefined(pool, config, batch))) ??
    (await decodeInThread(config, batch));
  const { sourceRows, stats } = resolveFailures(failures, config.onCorrupt, batch.ids);
  const ids = rowIds(batch.ids, sourceRows);
  const { xs, ys } = tf.tidy(() => ({
    xs: imageTensor(config, buffers, sourceRows),
    ys: labelTensor(config, batch, buffers, sourceRows),
  }));
  return { xs, ys, ids, sourceRows, stats };
}

async function decodeInWorkersOrUndefined(
  pool: WorkerPool,
  config: PipelineConfig,
  batch: RawBatch,
): Promise<DecodedRows | undefined> {
  try {
    return await decodeInWorkers(pool, config, batch);
  } catch (error) {
    if (error instanceof WorkerUnavailableError) return undefined;
    throw error;
  }
}

function rowIds(batchIds: Uint8Array, sourceRows: Int32Array): Uint8Array {
  const ids = new Uint8Array(sourceRows.length * 16);
  for (let row = 0; row < sourceRows.length; row++) {
    const source = sourceRows[row]!;
    ids.set(batchIds.subarray(source * 16, source * 16 + 16), row * 16);
  }
  return ids;
}

function imageTensor(
  config: PipelineConfig,
  buffers: BatchBuffers,
  sourceRows: Int32Array,
): tf.Tensor4D {
  const [h, w] = buffers.size ?? [0, 0];
  const c = buffers.outChannels;
  const n = sourceRows.length;
  const data = buffers.images
    ? applyRowMap(buffers.images, buffers.imageLength, sourceRows)
    : new Float32Array(0);
  const shape: [number, number, number, number] =
    config.output.layout === 'NHWC' ? [n, h, w, c] : [n, c, h, w];
  const xs = tf.tensor4d(data, shape, config.output.dtype);
  if (buffers.images) batchMemory.lend(buffers.images.buffer, xs);
  return xs;
}

function labelTensor(
  config: PipelineConfig,
  batch: RawBatch,
  buffers: BatchBuffers,
  sourceRows: Int32Array,
): tf.Tensor | undefined {
  const { labels } = config;
  const raw = batch.labels;
  switch (labels.kind) {
    case 'auto':
    case 'int':
      if (raw.kind !== 'int') return undefined;
      return intLabelTensor(
        raw.values,
        sourceRows,
        labels.kind === 'int' ? labels : { oneHot: undefined, dtype: undefined },
        batch.ids,
      );
    case 'npy':
      return npyLabelTensor(batch, sourceRows, labels.dtype);
    case 'mask': {
      const [h, w] = buffers.size ?? [0, 0];
      const masks = buffers.masks
        ? applyRowMap(buffers.masks, h * w, sourceRows)
        : new Int32Array(0);
      if (labels.oneHot !== undefined)
        checkMaskClasses(masks, h * w, labels.oneHot, sourceRows, batch.ids);
      const classes = tf.tensor3d(masks, [sourceRows.length, h, w], 'int32');
      if (buffers.masks) batchMemory.lend(buffers.masks.buffer, classes);
      return labels.oneHot === undefined
        ? classes
        : tf.cast(tf.oneHot(classes, labels.oneHot), 'float32');
    }
  }
}

/** tf.oneHot turns an out-of-range class into an all-zero row silently; name the sample instead. */
function checkMaskClasses(
  masks: Int32Array,
  rowLength: number,
  classes: number,
  sourceRows: Int32Array,
  ids: Uint8Array,
): void {
  for (let i = 0; i < masks.length; i++) {
    if (masks[i]! < classes) continue;
    const source = sourceRows[Math.floor(i / rowLength)]!;
    throw new SampleLabelError(
      formatSampleId(ids, source),
      source,
      `mask class ${masks[i]} is outside [0, ${classes}) for mask({ oneHot: ${classes} })`,
    );
  }
}

/** Refuses a batch whose label kind the pipeline cannot turn into `ys`, before decoding anything. */
function checkLabelKind(config: PipelineConfig, batch: RawBatch): void {
  const want = config.labels.kind;
  const have = batch.labels.kind;
  const ok = want === 'auto' ? have !== 'blob' : want === 'int' ? have === 'int' : have === 'blob';
  if (ok) return;
  const fix =
    want === 'auto'
      ? 'blob labels need a step that says what they hold: .labels({ npy: {} }) or .mask()'
      : want === 'int'
        ? ".labels({ oneHot }) reads int labels (the table's labelType 'int')"
        : `${want === 'npy' ? '.labels({ npy })' : '.mask()'} reads blob labels (the table's labelType 'blob')`;
  throw new GpuOpsError(
    'ERR_GPU_OPS_LABEL_KIND',
    `batch ${batch.index} has '${have}' labels: ${fix}`,
  );
}
