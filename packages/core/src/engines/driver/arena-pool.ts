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
  readonly #maxSpareBytes: number;
  #spareBytes = 0;

  /**
   * Keeps at most `maxSpare` arenas and `maxSpareBytes` waiting; more come
   * back only after a burst (the consumer held many, or many fetches packed
   * at once), and keeping them all ratcheted RSS up to the largest burst
   * (a 30 s soak at batch 512 grew from 0.6 to 1.1 GB with 32 kept).
   */
  constructor(maxSpare = 4, maxSpareBytes = 256 * 1024 * 1024) {
    this.#maxSpare = maxSpare;
    this.#maxSpareBytes = maxSpareBytes;
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
      const buffer = this.#spare.splice(best, 1)[0] as ArrayBuffer;
      this.#spareBytes -= buffer.byteLength;
      return new Uint8Array(buffer, 0, bytes);
    }
    const buffer = Buffer.allocUnsafeSlow(bytes);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, bytes);
  }

  /** An arena the main thread gave back. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || buffer.byteLength > this.#maxSpareBytes) return;
    this.#spare.push(buffer);
    this.#spareBytes += buffer.byteLength;
    // The oldest go to the GC first.
    while (this.#spare.length > this.#maxSpare || this.#spareBytes > this.#maxSpareBytes) {
      this.#spareBytes -= (this.#spare.shift() as ArrayBuffer).byteLength;
    }
  }

  get spare(): number {
    return this.#spare.length;
  }
}
