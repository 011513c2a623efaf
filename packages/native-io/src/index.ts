// The public face of @cassdl/native-io.
export {
  type NativeAttempt,
  NativeIoError,
  type NativeIoErrorCode,
} from './errors.js';
export { loadNative, type NativeAvailability, platformTag } from './load.js';
export { NativeDataPlane } from './native-data-plane.js';
export type { EngineStats, FetchedRows, FetchOptions, NativeDataPlaneOptions } from './types.js';
