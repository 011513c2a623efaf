import type { InferResponse } from './kserve.js';
import type { Prediction } from './predictor.js';

/** A prediction as a KServe v2 response: `probabilities` FP32 [n, classes] and `label` INT32 [n]. */
export function inferResponse(
  model: string,
  requestId: string | undefined,
  ids: readonly string[],
  p: Prediction,
): InferResponse {
  return {
    model_name: model,
    ...(requestId !== undefined ? { id: requestId } : {}),
    outputs: [
      { name: 'ids', datatype: 'BYTES', shape: [ids.length], data: [...ids] },
      {
        name: 'probabilities',
        datatype: 'FP32',
        shape: [ids.length, p.classes],
        data: Array.from(p.probabilities),
      },
      { name: 'label', datatype: 'INT32', shape: [ids.length], data: Array.from(p.labels) },
    ],
  };
}

/** `GET /v2/models/{name}`: what a client needs to build a request. */
export function modelMetadata(name: string, size: number, classes: number) {
  return {
    name,
    versions: ['1'],
    platform: 'tensorflowjs',
    inputs: [{ name: 'ids', datatype: 'BYTES', shape: [-1] }],
    outputs: [
      { name: 'ids', datatype: 'BYTES', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, classes] },
      { name: 'label', datatype: 'INT32', shape: [-1] },
    ],
    parameters: {
      image_size: size,
      preprocessing: 'decode, resize, normalize to [-1, 1] (@cassdl/gpu-ops)',
    },
  };
}
