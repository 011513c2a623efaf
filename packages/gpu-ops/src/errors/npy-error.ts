import { GpuOpsError } from './gpu-ops-error.js';

/** A `.npy` blob is malformed or uses a dtype gpu-ops does not read. */
export class NpyFormatError extends GpuOpsError {
  constructor(what: string) {
    super('ERR_GPU_OPS_NPY', `invalid .npy: ${what}`);
  }
}
