// The public face of @cassdl/native-io.
export {
  type NativeAttempt,
  NativeIoError,
  type NativeIoErrorCode,
} from './errors.js';
export { loadNative, type NativeAvailability } from './load.js';
export { NativeDataPlane } from './native-data-plane.js';
export { platformTag } from './prebuilt.js';
export type { EngineStats, FetchedRows, FetchOptions, NativeDataPlaneOptions } from './types.js';
