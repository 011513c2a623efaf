import { GpuOpsError } from './gpu-ops-error.js';

/**
 * A sample of a batch could not be turned into pixels or labels: corrupt or
 * truncated image, unknown format, mask that does not match its image, label
 * out of range. Names the row by its Cassandra id so it can be found and
 * fixed (`SELECT ... WHERE id = <sampleId>`).
 */
export class SampleError extends GpuOpsError {
  /** Row id as a UUID string. */
  readonly sampleId: string;
  /** Position of the sample in its batch. */
  readonly sampleIndex: number;
  /** What went wrong, without the sample prefix. */
  readonly detail: string;

  constructor(
    code: string,
    sampleId: string,
    sampleIndex: number,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(code, `sample ${sampleId} (batch row ${sampleIndex}): ${what}`, options);
    this.sampleId = sampleId;
    this.sampleIndex = sampleIndex;
    this.detail = what;
  }
}

/** The image (or mask) bytes could not be decoded; `onCorrupt` decides what happens. */
export class SampleDecodeError extends SampleError {
  constructor(sampleId: string, sampleIndex: number, what: string, cause?: unknown) {
    super('ERR_GPU_OPS_DECODE', sampleId, sampleIndex, what, { cause });
  }
}

/** A label is unusable (out of one-hot range, malformed `.npy`, shape mismatch). */
export class SampleLabelError extends SampleError {
  constructor(sampleId: string, sampleIndex: number, what: string, cause?: unknown) {
    super('ERR_GPU_OPS_LABEL', sampleId, sampleIndex, what, { cause });
  }
}
