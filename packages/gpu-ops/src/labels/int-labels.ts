import * as tf from '@tensorflow/tfjs-core';
import { formatSampleId } from '../batch/sample-id.js';
import { SampleLabelError } from '../errors/index.js';

/** How int labels become a tensor. */
export interface IntLabelSpec {
  /** Classes for one-hot rows; absent: one class index per sample. */
  readonly oneHot: number | undefined;
  /** Default: float32 for one-hot (what cross-entropy losses take), int32 otherwise. */
  readonly dtype: 'int32' | 'float32' | undefined;
}

/**
 * Int labels of the output rows (`sourceRows` maps each to its batch row) as
 * `[n]` class indices or `[n, oneHot]` one-hot rows, built in a typed array
 * and uploaded once. A label outside `[0, oneHot)` names its sample.
 */
export function intLabelTensor(
  values: Int32Array,
  sourceRows: Int32Array,
  spec: IntLabelSpec,
  ids: Uint8Array,
): tf.Tensor1D | tf.Tensor2D {
  const n = sourceRows.length;
  if (spec.oneHot === undefined) {
    const dtype = spec.dtype ?? 'int32';
    const out = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
    for (let row = 0; row < n; row++) out[row] = values[sourceRows[row]!]!;
    return tf.tensor1d(out, dtype);
  }
  const depth = spec.oneHot;
  const dtype = spec.dtype ?? 'float32';
  const out = dtype === 'int32' ? new Int32Array(n * depth) : new Float32Array(n * depth);
  for (let row = 0; row < n; row++) {
    const source = sourceRows[row]!;
    const label = values[source]!;
    if (label < 0 || label >= depth) {
      throw new SampleLabelError(
        formatSampleId(ids, source),
        source,
        `label ${label} is outside [0, ${depth}) for labels({ oneHot: ${depth} })`,
      );
    }
    out[row * depth + label] = 1;
  }
  return tf.tensor2d(out, [n, depth], dtype);
}
