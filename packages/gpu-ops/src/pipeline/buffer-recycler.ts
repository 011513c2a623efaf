import * as tf from '@tensorflow/tfjs-core';

type Memory = ArrayBuffer | SharedArrayBuffer;

interface Lent {
  readonly memory: Memory;
  /** The tensor data built on it; the memory is free once the engine no longer knows it. */
  readonly dataId: object;
}

/** Free buffers kept per size: two batches in flight plus one being filled. */
const KEEP_FREE = 3;

/**
 * Batch memory handed out again once the tensors built on it are gone.
 * A fresh 77 MB float32 batch costs about 19,000 page faults whose kernel
 * zeroing was the largest single item of the profile (0.5-0.6 CPU-ms per
 * 224x224x3 image); a recycled one costs none. The cpu backend (and
 * tfjs-node until first use) keeps the very typed array a tensor was built
 * from, so memory is lent out again only after the engine has dropped that
 * tensor's data: every tensor sharing it (reshapes, clones) disposed. One
 * recycler per thread: buffers a pipeline allocated on this thread, for
 * tensors made on this thread.
 */
export class BufferRecycler {
  readonly #lent: Lent[] = [];
  readonly #free = new Map<string, Memory[]>();

  /**
   * Memory of at least `bytes` bytes (sizes are rounded up to a class so
   * batches of varying size share buffers; view only the first `bytes`).
   * Zeroed if fresh, holding an old batch if recycled: callers overwrite
   * every byte they expose.
   */
  take(bytes: number, shared: boolean): Memory {
    this.#collect();
    const size = sizeClass(bytes);
    const free = this.#free.get(key(size, shared));
    return free?.pop() ?? (shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  }

  /** Returns memory nothing refers to any more (a batch arena the workers are done with). */
  give(memory: Memory): void {
    this.#release(memory);
  }

  /** Records that `tensor` was built on `memory`; it becomes free again after the tensor's data is released. */
  lend(memory: Memory, tensor: tf.Tensor): void {
    this.#lent.push({ memory, dataId: tensor.dataId });
  }

  /** Buffers lent out and not yet returned (for tests). */
  get lentCount(): number {
    this.#collect();
    return this.#lent.length;
  }

  #collect(): void {
    const known = tf.engine().state.tensorInfo;
    for (let i = this.#lent.length - 1; i >= 0; i--) {
      const lent = this.#lent[i]!;
      if (known.has(lent.dataId)) continue;
      this.#lent.splice(i, 1);
      this.#release(lent.memory);
    }
  }

  #release(memory: Memory): void {
    const k = key(memory.byteLength, memory instanceof SharedArrayBuffer);
    const free = this.#free.get(k) ?? [];
    if (free.length < KEEP_FREE) free.push(memory);
    this.#free.set(k, free);
  }
}

/** Rounds up to 1/8 of the enclosing power of two (at most 12.5% slack), so nearby sizes share a class. */
function sizeClass(bytes: number): number {
  if (bytes <= 1 << 16) return Math.max(bytes, 1);
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

function key(bytes: number, shared: boolean): string {
  return `${shared ? 's' : 'p'}${bytes}`;
}

/** The recycler of this thread's pipelines. */
export const batchMemory = new BufferRecycler();
