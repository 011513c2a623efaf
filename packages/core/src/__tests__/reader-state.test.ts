import { describe, expect, it } from 'vitest';
import { CassdlStateError } from '../errors.js';
import { mergeStates, type ReaderState, resumePoint, type StateIdentity } from '../reader/state.js';

const identity: StateIdentity = {
  seed: 1,
  shardId: 0,
  numShards: 2,
  batchSize: 10,
  shuffleEveryEpoch: true,
  padLastBatch: true,
  epochSize: 100,
  datasetSize: 100,
  datasetFingerprint: 'abcd0123',
};

function state(shardId: number, delivered: number, extra: Partial<ReaderState> = {}): ReaderState {
  return {
    version: 2,
    seed: 1,
    epoch: 0,
    shardId,
    numShards: 4,
    batchSize: 5,
    shuffleEveryEpoch: true,
    padLastBatch: true,
    epochSize: 100,
    datasetSize: 100,
    datasetFingerprint: 'abcd0123',
    remaining: [[0, 100]],
    delivered,
    window: [],
    sampleInEpoch: delivered,
    ...extra,
  };
}

describe('resume states (pure)', () => {
  it('continues its own layout from one state of the same shard', () => {
    const own = { ...state(1, 20), numShards: 2, batchSize: 10, window: [[30, 40]] as const };
    expect(resumePoint(own, { ...identity, shardId: 1 })).toEqual({
      kind: 'continue',
      epoch: 0,
      remaining: [[0, 100]],
      delivered: 20,
      window: [[30, 40]],
    });
  });

  it('lays out what the old shards left: every delivered prefix and window removed', () => {
    // 4 shards of 25: shard k owns [25k, 25k + 25).
    const states = [state(0, 10), state(1, 25), state(2, 0, { window: [[5, 10]] }), state(3, 5)];
    expect(resumePoint(states, identity)).toEqual({
      kind: 'relayout',
      epoch: 0,
      remaining: [
        [10, 25],
        [50, 55],
        [60, 75],
        [80, 100],
      ],
    });
    expect(mergeStates(states)).toMatchObject({
      numShards: 1,
      shardId: 0,
      delivered: 0,
      remaining: [
        [10, 25],
        [50, 55],
        [60, 75],
        [80, 100],
      ],
    });
  });

  it('counts a shard already in the next epoch (nothing delivered there) as done with this one', () => {
    const fresh = { ...state(3, 0), epoch: 1 };
    const point = resumePoint([state(0, 25), state(1, 25), state(2, 20), fresh], identity);
    expect(point).toEqual({ kind: 'relayout', epoch: 0, remaining: [[70, 75]] });
    const all = [0, 1, 2, 3].map((k) => ({ ...state(k, 0), epoch: 1 }));
    expect(resumePoint([state(0, 25), ...all.slice(1)], identity)).toEqual({
      kind: 'relayout',
      epoch: 1,
      remaining: [[0, 100]],
    });
  });

  it('refuses an incomplete or mixed set of states, naming what is missing', () => {
    expect(() => resumePoint([state(0, 5), state(2, 5)], identity)).toThrow(
      /missing shard\(s\) 1, 3/,
    );
    expect(() =>
      resumePoint([state(0, 5), state(0, 5), state(1, 5), state(2, 5), state(3, 5)], identity),
    ).toThrow(/shard\(s\) 0 given twice/);
    expect(() =>
      resumePoint(
        [state(0, 5), state(1, 5), state(2, 5), { ...state(3, 5), batchSize: 6 }],
        identity,
      ),
    ).toThrow(/different shard layouts \(batchSize/);
    expect(() => resumePoint(state(2, 5), identity)).toThrow(CassdlStateError);
    expect(() => mergeStates([])).toThrow(/no states/);
  });

  it('refuses states of another global order, naming the field', () => {
    expect(() =>
      resumePoint({ ...state(0, 5), numShards: 2, batchSize: 10, seed: 2 }, identity),
    ).toThrow(/seed: state has 2, reader has 1/);
    expect(() =>
      resumePoint(
        [0, 1, 2, 3].map((k) => ({ ...state(k, 0), datasetFingerprint: 'ffffffff' })),
        identity,
      ),
    ).toThrow(/states\[0\]\): the state belongs to another/);
    expect(() => resumePoint({ ...state(0, 5), remaining: [[0, 101]] }, identity)).toThrow(
      /out of range/,
    );
  });

  it('reads a version-1 state (batches of a whole epoch) as what it meant', () => {
    const v1 = {
      version: 1,
      seed: 1,
      epoch: 0,
      nextBatch: 3,
      ahead: [5],
      sampleInEpoch: 40,
      shardId: 0,
      numShards: 2,
      batchSize: 10,
      shuffleEveryEpoch: true,
      padLastBatch: true,
      datasetSize: 100,
      datasetFingerprint: 'abcd0123',
    };
    expect(resumePoint(v1, identity)).toEqual({
      kind: 'continue',
      epoch: 0,
      remaining: [[0, 100]],
      delivered: 30,
      window: [[50, 60]],
    });
  });
});
