/**
 * Data arenas a driver-engine worker packs fetches into, reused: the main
 * thread transfers a batch's arena back when the consumer recycles the
 * batch, and the next fetch of a similar size is packed into it. Each new
 * arena is new external memory to V8, on the worker and again on the main
 * thread it is transferred to; one per batch (14-56 MB at 110 KB rows) had
 * V8 run a major collection every few batches on both threads for
 * "external memory pressure" (35 a 10,000-row epoch on the main thread).
 */
export class ArenaPool {
  readonly #spare: ArrayBuffer[] = [];
  readonly #maxSpare: number;

  /** Keeps at most `maxSpare` arenas waiting (more come back only when the consumer held many). */
  constructor(maxSpare = 32) {
    this.#maxSpare = maxSpare;
  }

  /**
   * `bytes` bytes to pack into, not zero-filled (every byte is overwritten):
   * a spare arena of at least that size and at most twice it (so a small
   * last batch does not pin a large arena), else a new one.
   */
  take(bytes: number): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.#spare.length; i++) {
      const size = (this.#spare[i] as ArrayBuffer).byteLength;
      if (size < bytes || size > 2 * bytes + 65_536) continue;
      if (best < 0 || size < (this.#spare[best] as ArrayBuffer).byteLength) best = i;
    }
    if (best >= 0) {
      const [buffer] = this.#spare.splice(best, 1);
      return new Uint8Array(buffer as ArrayBuffer, 0, bytes);
    }
    const buffer = Buffer.allocUnsafeSlow(bytes);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, bytes);
  }

  /** An arena the main thread gave back. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return;
    if (this.#spare.length >= this.#maxSpare) this.#spare.shift();
    this.#spare.push(buffer);
  }

  get spare(): number {
    return this.#spare.length;
  }
}
