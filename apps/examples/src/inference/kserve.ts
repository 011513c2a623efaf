// The parts of the KServe v2 / Triton HTTP inference protocol this service
// speaks: https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/

/** One input tensor of an inference request. */
export interface InferInput {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}

export interface InferRequest {
  id?: string;
  inputs: InferInput[];
}

export interface InferOutput {
  name: string;
  datatype: 'FP32' | 'INT32' | 'BYTES';
  shape: number[];
  data: (number | string)[];
}

export interface InferResponse {
  model_name: string;
  id?: string;
  outputs: InferOutput[];
}

/** A request the service refuses, with the HTTP status and the reason sent back as `{ error }`. */
export class InferError extends Error {
  override name = 'InferError';
  constructor(
    readonly status: 400 | 404 | 413 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** The name of the one input: sample ids as a BYTES tensor of UUID strings. */
export const IDS_INPUT = 'ids';

/**
 * The sample ids of a request body, or an `InferError` saying what is wrong:
 * the body must carry one BYTES input named `ids`, shape `[n]`, with n UUID
 * strings, n between 1 and `maxIds`.
 */
export function parseIdsRequest(body: unknown, maxIds: number): { id?: string; ids: string[] } {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as InferRequest).inputs)) {
    throw new InferError(400, 'body must be a JSON object with an "inputs" array');
  }
  const req = body as InferRequest;
  const input = req.inputs.find((i) => i?.name === IDS_INPUT);
  if (input === undefined) {
    throw new InferError(
      400,
      `inputs must contain "${IDS_INPUT}" (BYTES, shape [n]: sample UUIDs)`,
    );
  }
  if (input.datatype !== 'BYTES') {
    throw new InferError(
      400,
      `input "${IDS_INPUT}": datatype must be BYTES, received ${JSON.stringify(input.datatype)}`,
    );
  }
  if (!Array.isArray(input.data) || input.data.length === 0) {
    throw new InferError(
      400,
      `input "${IDS_INPUT}": data must be a non-empty array of UUID strings`,
    );
  }
  if (input.data.length > maxIds) {
    throw new InferError(
      413,
      `input "${IDS_INPUT}": ${input.data.length} ids, at most ${maxIds} per request (use the streaming endpoint)`,
    );
  }
  const shape = input.shape;
  if (!Array.isArray(shape) || shape.length !== 1 || shape[0] !== input.data.length) {
    throw new InferError(
      400,
      `input "${IDS_INPUT}": shape must be [${input.data.length}], received ${JSON.stringify(shape)}`,
    );
  }
  const ids = input.data.map((v, i) => checkUuid(v, i));
  return { ...(typeof req.id === 'string' ? { id: req.id } : {}), ids };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkUuid(v: unknown, i: number): string {
  if (typeof v !== 'string' || !UUID.test(v)) {
    throw new InferError(
      400,
      `input "${IDS_INPUT}"[${i}]: expected a UUID string, received ${JSON.stringify(v)}`,
    );
  }
  return v.toLowerCase();
}
