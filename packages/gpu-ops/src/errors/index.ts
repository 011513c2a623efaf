export { GpuOpsError } from './gpu-ops-error.js';
export { NpyFormatError } from './npy-error.js';
export { SampleDecodeError, SampleError, SampleLabelError } from './sample-error.js';
