import { CassdlStateError } from '../errors.js';

/**
 * Where a reader stands, as a small JSON-safe object: save it with a
 * checkpoint, pass it to `resume()` in a new process, and the reader
 * continues without repeating or skipping a sample. The plan is a pure
 * function of these fields and the id list, so nothing else is needed.
 */
export interface ReaderState {
  readonly version: 1;
  readonly seed: number;
  /** The epoch in progress (or next to start). */
  readonly epoch: number;
  /** Batches `[0, nextBatch)` of `epoch` have been delivered. */
  readonly nextBatch: number;
  /** Batches at or after `nextBatch` already delivered (only with `ooo`), ascending. */
  readonly ahead: readonly number[];
  /** Rows delivered in `epoch` so far, padding included (for progress display). */
  readonly sampleInEpoch: number;
  readonly shardId: number;
  readonly numShards: number;
  readonly batchSize: number;
  readonly shuffleEveryEpoch: boolean;
  readonly padLastBatch: boolean;
  /** Ids in the dataset and their FNV-1a fingerprint: resuming over another id list is refused. */
  readonly datasetSize: number;
  readonly datasetFingerprint: string;
}

/** The fields a state must share with the reader it resumes. */
type Identity = Pick<
  ReaderState,
  | 'seed'
  | 'shardId'
  | 'numShards'
  | 'batchSize'
  | 'shuffleEveryEpoch'
  | 'padLastBatch'
  | 'datasetSize'
  | 'datasetFingerprint'
>;

const IDENTITY_KEYS = [
  'seed',
  'shardId',
  'numShards',
  'batchSize',
  'shuffleEveryEpoch',
  'padLastBatch',
  'datasetSize',
  'datasetFingerprint',
] as const satisfies readonly (keyof Identity)[];

/**
 * Checks a state (possibly parsed from JSON) against this reader: same
 * version, shape, dataset and plan settings. Names each field that differs.
 */
export function checkState(input: unknown, reader: Identity, batchesPerEpoch: number): ReaderState {
  if (typeof input !== 'object' || input === null)
    throw new CassdlStateError('resume(state): expected the object returned by reader.state().');
  const state = input as ReaderState;
  if (state.version !== 1)
    throw new CassdlStateError(
      `resume(state): unsupported state version ${String(state.version)}, expected 1.`,
    );
  const differences = IDENTITY_KEYS.filter((key) => state[key] !== reader[key]).map(
    (key) =>
      `${key}: state has ${JSON.stringify(state[key])}, reader has ${JSON.stringify(reader[key])}`,
  );
  if (differences.length > 0) {
    throw new CassdlStateError(
      [
        'resume(state): the state belongs to another reader configuration or id list:',
        ...differences.map((d) => `  ${d}`),
      ].join('\n'),
    );
  }
  const valid =
    isCount(state.epoch) &&
    isCount(state.nextBatch) &&
    state.nextBatch <= batchesPerEpoch &&
    Array.isArray(state.ahead) &&
    state.ahead.every((i) => isCount(i) && i >= state.nextBatch && i < batchesPerEpoch);
  if (!valid)
    throw new CassdlStateError(
      `resume(state): epoch, nextBatch or ahead out of range (${batchesPerEpoch} batches per epoch).`,
    );
  return state;
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}
