import type { RawBatch } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs-core';
import { formatSampleId } from '../batch/sample-id.js';
import { sampleBlobLabel } from '../batch/views.js';
import { SampleLabelError } from '../errors/index.js';
import type { NpyTargetDtype } from '../npy/npy-convert.js';
import { convertNpyInto } from '../npy/npy-convert.js';
import type { NpyArray } from '../npy/npy-decode.js';
import { npyDecode } from '../npy/npy-decode.js';

/**
 * Blob labels stored as `.npy` arrays (multilabel vectors, as in
 * cassandra-dali-plugin's Corel-5k example) stacked into one `[n, ...shape]`
 * tensor of `dtype`. Every sample must have the same shape; a malformed blob
 * or a value that does not fit `dtype` names its sample.
 */
export function npyLabelTensor(
  batch: RawBatch,
  sourceRows: Int32Array,
  dtype: NpyTargetDtype,
): tf.Tensor {
  const n = sourceRows.length;
  let shape: readonly number[] | undefined;
  let per = 0;
  let out: Float32Array | Int32Array | Uint8Array = new Float32Array(0);
  for (let row = 0; row < n; row++) {
    const source = sourceRows[row]!;
    const array = decodeLabel(batch, source);
    if (shape === undefined) {
      shape = array.shape;
      per = array.data.length;
      out =
        dtype === 'float32'
          ? new Float32Array(n * per)
          : dtype === 'int32'
            ? new Int32Array(n * per)
            : new Uint8Array(n * per);
    } else if (!sameShape(shape, array.shape)) {
      throw labelError(
        batch,
        source,
        `.npy shape (${array.shape.join(', ')}) differs from the batch's first label (${shape.join(', ')})`,
      );
    }
    try {
      convertNpyInto(array, dtype, out, row * per);
    } catch (error) {
      throw labelError(batch, source, (error as Error).message, error);
    }
  }
  return tf.tensor(out, [n, ...(shape ?? [])], dtype);
}

function decodeLabel(batch: RawBatch, row: number): NpyArray {
  try {
    return npyDecode(sampleBlobLabel(batch, row));
  } catch (error) {
    throw labelError(batch, row, (error as Error).message, error);
  }
}

function labelError(batch: RawBatch, row: number, what: string, cause?: unknown): SampleLabelError {
  return new SampleLabelError(formatSampleId(batch.ids, row), row, what, cause);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
