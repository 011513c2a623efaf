import type { RawBatch } from '@cassdl/schema';
import { SampleDecodeError, SampleError } from '../errors/index.js';
import type { TensorBuffer } from '../normalize/write-sample.js';
import type { PipelineConfig } from '../pipeline/config.js';

/** JS thread → worker: decode rows `[start, end)` of `batch` into the shared output arrays. */
export interface DecodeJob {
  readonly type: 'decode';
  readonly job: number;
  readonly config: PipelineConfig;
  readonly batch: RawBatch;
  readonly rows: readonly [number, number];
  readonly size: readonly [number, number];
  readonly images: TensorBuffer;
  readonly masks: Int32Array | undefined;
  /** Per batch row, what is left after the native decoder (`PART_*` bits); undefined: everything. */
  readonly parts: Uint8Array | undefined;
}

/** A row's failure as it crosses threads (class identity does not survive structured cloning). */
export type WireFailure =
  | {
      readonly kind: 'sample';
      readonly decode: boolean;
      readonly code: string;
      readonly sampleId: string;
      readonly sampleIndex: number;
      readonly detail: string;
      readonly cause: string | undefined;
    }
  | { readonly kind: 'other'; readonly message: string; readonly stack: string | undefined };

/** Worker → JS thread. `failures[i]` is row `rows[0] + i`'s failure, or null when it decoded. */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly job: number; readonly failures: (WireFailure | null)[] }
  | { readonly type: 'crashed'; readonly job: number; readonly message: string };

export function toWire(error: unknown): WireFailure {
  if (error instanceof SampleError) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return {
      kind: 'sample',
      decode: error instanceof SampleDecodeError,
      code: error.code,
      sampleId: error.sampleId,
      sampleIndex: error.sampleIndex,
      detail: error.detail,
      cause,
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', message: e.message, stack: e.stack };
}

/** Rebuilds the error a worker caught, with the class `onCorrupt` and callers test for. */
export function fromWire(failure: WireFailure): Error {
  if (failure.kind === 'other') {
    const error = new Error(failure.message);
    if (failure.stack) error.stack = failure.stack;
    return error;
  }
  const cause = failure.cause === undefined ? undefined : new Error(failure.cause);
  if (failure.decode)
    return new SampleDecodeError(failure.sampleId, failure.sampleIndex, failure.detail, cause);
  return new SampleError(failure.code, failure.sampleId, failure.sampleIndex, failure.detail, {
    cause,
  });
}
