/** Fraction of predictions equal to their label. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkSameLength(predicted, labels);
  if (labels.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits++;
  return hits / labels.length;
}

/**
 * The trivial baseline: always predict the most frequent label of `train`
 * (chance, for balanced classes), scored on `test`.
 */
export function majorityClassAccuracy(train: ArrayLike<number>, test: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < train.length; i++) {
    const l = train[i] as number;
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [label, count] of counts) {
    if (count > bestCount || (count === bestCount && label < best)) {
      best = label;
      bestCount = count;
    }
  }
  return accuracy(new Array(test.length).fill(best), test);
}

export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new RangeError(`predictions and labels differ in length: ${a.length} vs ${b.length}`);
  }
}
