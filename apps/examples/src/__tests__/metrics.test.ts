import { describe, expect, it } from 'vitest';
import { accuracy, majorityClassAccuracy } from '../metrics/accuracy.js';
import { PixelConfusion } from '../metrics/mean-iou.js';
import { f1Counts, microF1, trivialMicroF1 } from '../metrics/micro-f1.js';

describe('accuracy', () => {
  it('counts matches and refuses arrays of different lengths', () => {
    expect(accuracy([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
    expect(() => accuracy([1], [1, 2])).toThrow(/differ in length: 1 vs 2/);
  });

  it('scores the majority training class as the baseline', () => {
    expect(majorityClassAccuracy([2, 2, 1, 0], [2, 1, 1, 2])).toBe(0.5);
    expect(majorityClassAccuracy([0, 1, 2], [0, 1, 2])).toBeCloseTo(1 / 3);
  });
});

describe('mean IoU', () => {
  it('averages IoU over classes present in truth or prediction', () => {
    const c = new PixelConfusion(3);
    // truth:   0 0 1 1 ; predicted: 0 1 1 1 → IoU0 = 1/2, IoU1 = 2/3, class 2 absent
    c.add([0, 1, 1, 1], [0, 0, 1, 1]);
    expect(c.perClassIou()).toEqual([0.5, 2 / 3, null]);
    expect(c.meanIou()).toBeCloseTo((0.5 + 2 / 3) / 2);
  });

  it('gives the all-background baseline its IoU on background only', () => {
    const c = new PixelConfusion(2);
    c.add([1, 1, 1, 1], [0, 0, 0, 1]);
    expect(c.constantBaseline(0)).toBeCloseTo(0.75 / 2);
    expect(() => c.add([5], [0])).toThrow(/class ids must be in \[0, 2\)/);
  });
});

describe('micro-F1', () => {
  it('pools TP, FP and FN over every sample and tag', () => {
    const c = f1Counts([0.9, 0.1, 0.6, 0.4], [1, 0, 0, 1]);
    expect(c).toEqual({ tp: 1, fp: 1, fn: 1 });
    expect(microF1(c)).toBe(0.5);
    expect(microF1({ tp: 0, fp: 0, fn: 0 })).toBe(0);
  });

  it('takes the better of all-ones and per-tag majority as the baseline', () => {
    // tag 0 is almost always on, tag 1 almost never: majority beats all-ones
    const train = [1, 0, 1, 0, 1, 1];
    const test = [1, 0, 1, 0];
    expect(trivialMicroF1(train, test, 2)).toBe(1);
    // positive rate 1/2 everywhere: all-ones gives 2p/(1+p) = 2/3
    expect(trivialMicroF1([0, 0, 0, 0], [1, 0, 0, 1], 2)).toBeCloseTo(2 / 3);
  });
});
