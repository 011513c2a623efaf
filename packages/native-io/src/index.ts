// The public face of @cassdl/native-io.
export {
  type NativeAttempt,
  NativeIoError,
  type NativeIoErrorCode,
  type NativeIoErrorDetails,
} from './errors.js';
export {
  JPEG_FLIP_HORIZONTAL,
  JPEG_FLIP_VERTICAL,
  JPEG_TASK_FIELDS,
  type JpegBatch,
  type JpegBatchResult,
  type JpegDecoder,
  type JpegOutcome,
  loadJpegDecoder,
} from './jpeg-decoder.js';
export { loadNative, type NativeAvailability } from './load.js';
export { NativeDataPlane } from './native-data-plane.js';
export { platformTag } from './prebuilt.js';
export type { EngineStats, FetchedRows, FetchOptions, NativeDataPlaneOptions } from './types.js';
