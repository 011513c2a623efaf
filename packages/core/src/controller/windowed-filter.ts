/**
 * The best (largest or smallest) of the values seen in the last `windowMs`,
 * as BBR keeps its bottleneck bandwidth (max) and its round-trip floor (min):
 * a stale best ages out, so a link that got slower is believed after one window.
 */
export class WindowedFilter {
  readonly #windowMs: number;
  readonly #better: (a: number, b: number) => boolean;
  #samples: { atMs: number; value: number }[] = [];

  constructor(kind: 'max' | 'min', windowMs: number) {
    this.#windowMs = windowMs;
    this.#better = kind === 'max' ? (a, b) => a >= b : (a, b) => a <= b;
  }

  update(atMs: number, value: number): void {
    // Samples a newer, better one dominates can never be the best again.
    while (this.#samples.length > 0 && this.#better(value, this.#last().value)) this.#samples.pop();
    this.#samples.push({ atMs, value });
    while ((this.#samples[0]?.atMs ?? atMs) < atMs - this.#windowMs) this.#samples.shift();
  }

  /** The best value of the window, or `undefined` before the first sample. */
  get best(): number | undefined {
    return this.#samples[0]?.value;
  }

  #last(): { atMs: number; value: number } {
    return this.#samples[this.#samples.length - 1] as { atMs: number; value: number };
  }
}
