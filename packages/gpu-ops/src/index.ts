/**
 * @cassdl/gpu-ops: turns cassdl `RawBatch`es into TensorFlow.js tensors on
 * whichever backend is active. Decoding, cropping, resizing and flipping run
 * fused in libvips on the libuv threadpool, driven by worker threads that
 * also normalize into one shared batch buffer; the JS thread posts one
 * message per worker and uploads the batch once.
 */
export type { ValidationIssue } from '@cassdl/schema';
/** Thrown for bad options (shared with every cassdl package). */
export { CassdlValidationError } from '@cassdl/schema';
export { formatSampleId } from './batch/sample-id.js';
export type { CorruptPolicy } from './decode/corrupt-policy.js';
export type { DecodeBatchOptions, DecodedBatch } from './decode/decode-batch.js';
export { decodeBatch } from './decode/decode-batch.js';
export type { Channels } from './decode/decode-image.js';
export type { DecodeStats } from './decode/decode-stats.js';
export type { DecoderChoice, DecoderInUse } from './decode/native-jpeg.js';
export {
  GpuOpsError,
  NpyFormatError,
  SampleDecodeError,
  SampleError,
  SampleLabelError,
} from './errors/index.js';
export type {
  FlipSpec,
  GeometrySpec,
  Interpolation,
  SampleKey,
  SamplePlan,
} from './geometry/sample-plan.js';
export { planSample } from './geometry/sample-plan.js';
export type { CropWindow, Size2D } from './geometry/window.js';
export { centerCropWindow, randomResizedCropWindow } from './geometry/window.js';
export type { Layout } from './normalize/write-sample.js';
export type { NpyTargetDtype } from './npy/npy-convert.js';
export type { NpyArray, NpyData } from './npy/npy-decode.js';
export { npyDecode } from './npy/npy-decode.js';
export type { NpyDtype, NpyHeader } from './npy/npy-header.js';
export { parseNpyHeader } from './npy/npy-header.js';
export type {
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
} from './options/schemas.js';
export type { LabelSpec, OutputSpec, PipelineConfig } from './pipeline/config.js';
export type { PipelineExecutor } from './pipeline/pipeline.js';
export { Pipeline, pipeline } from './pipeline/pipeline.js';
export type { PipelineOutput } from './pipeline/run-batch.js';
export type { Uniform } from './random/sample-random.js';
export { sampleRandom } from './random/sample-random.js';
export { WorkerUnavailableError } from './workers/worker-pool.js';
