import { checkSameLength } from './accuracy.js';

/** True/false positives and false negatives over every (sample, tag) pair. */
export interface F1Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Counts for flat multi-hot arrays (`predicted[i] >= 0.5` means the tag is predicted). */
export function f1Counts(predicted: ArrayLike<number>, truth: ArrayLike<number>): F1Counts {
  checkSameLength(predicted, truth);
  const c = { tp: 0, fp: 0, fn: 0 };
  for (let i = 0; i < truth.length; i++) {
    const p = (predicted[i] as number) >= 0.5;
    const t = (truth[i] as number) >= 0.5;
    if (p && t) c.tp++;
    else if (p) c.fp++;
    else if (t) c.fn++;
  }
  return c;
}

/** Micro-averaged F1: 2·TP / (2·TP + FP + FN); 0 when nothing is positive. */
export function microF1(c: F1Counts): number {
  const denom = 2 * c.tp + c.fp + c.fn;
  return denom === 0 ? 0 : (2 * c.tp) / denom;
}

/**
 * The best trivial baselines, from the training labels alone: predict every
 * tag for every sample (its F1 is 2p/(1+p) for a positive rate p, hard to beat
 * when tags are common), or each tag's majority value. Scored on `truth`.
 */
export function trivialMicroF1(
  trainTruth: ArrayLike<number>,
  truth: ArrayLike<number>,
  tags: number,
): number {
  const allOnes = microF1(f1Counts(new Array(truth.length).fill(1), truth));
  const rate = new Float64Array(tags);
  for (let i = 0; i < trainTruth.length; i++) {
    rate[i % tags] = (rate[i % tags] ?? 0) + (trainTruth[i] as number);
  }
  const samples = trainTruth.length / tags;
  const majority = Array.from({ length: truth.length }, (_, i) =>
    (rate[i % tags] ?? 0) / samples >= 0.5 ? 1 : 0,
  );
  return Math.max(allOnes, microF1(f1Counts(majority, truth)));
}
