import { checkSameLength } from './accuracy.js';

/**
 * A confusion matrix over pixels, accumulated batch by batch so a whole
 * validation set never has to sit in memory.
 */
export class PixelConfusion {
  readonly counts: Float64Array;

  constructor(readonly classes: number) {
    this.counts = new Float64Array(classes * classes);
  }

  /** Adds predicted vs true class ids of some pixels. */
  add(predicted: ArrayLike<number>, truth: ArrayLike<number>): void {
    checkSameLength(predicted, truth);
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i] as number;
      const p = predicted[i] as number;
      if (t < 0 || t >= this.classes || p < 0 || p >= this.classes) {
        throw new RangeError(
          `pixel ${i}: class ids must be in [0, ${this.classes}), got ${t} / ${p}`,
        );
      }
      this.counts[t * this.classes + p] = (this.counts[t * this.classes + p] ?? 0) + 1;
    }
  }

  /**
   * Mean over classes of |pred ∩ true| / |pred ∪ true|, counting only classes
   * that occur in the truth or the prediction (as most segmentation
   * benchmarks do), so an absent class neither helps nor hurts.
   */
  meanIou(): number {
    const ious = this.perClassIou().filter((v): v is number => v !== null);
    return ious.length === 0 ? 0 : ious.reduce((a, b) => a + b, 0) / ious.length;
  }

  /** IoU per class, `null` where the class is in neither truth nor prediction. */
  perClassIou(): (number | null)[] {
    const n = this.classes;
    const out: (number | null)[] = [];
    for (let c = 0; c < n; c++) {
      let truthC = 0;
      let predC = 0;
      for (let k = 0; k < n; k++) {
        truthC += this.counts[c * n + k] ?? 0;
        predC += this.counts[k * n + c] ?? 0;
      }
      const inter = this.counts[c * n + c] ?? 0;
      const union = truthC + predC - inter;
      out.push(union === 0 ? null : inter / union);
    }
    return out;
  }

  /** The baseline: mean IoU of predicting `cls` (the most common, background) everywhere. */
  constantBaseline(cls = 0): number {
    const n = this.classes;
    const baseline = new PixelConfusion(n);
    for (let t = 0; t < n; t++) {
      let row = 0;
      for (let k = 0; k < n; k++) row += this.counts[t * n + k] ?? 0;
      baseline.counts[t * n + cls] = row;
    }
    return baseline.meanIou();
  }
}
