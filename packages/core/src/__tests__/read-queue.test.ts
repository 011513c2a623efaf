import { describe, expect, it } from 'vitest';
import { ReadQueue } from '../engines/driver/read-queue.js';

/** A queue whose reads finish when the test says: `finish(n)` completes the n oldest running reads. */
function harness(limit: number) {
  const started: string[] = [];
  const running: (() => void)[] = [];
  const queue = new ReadQueue<string>(limit, (owner, index) => {
    started.push(`${owner}${index}`);
    return new Promise<void>((resolve) => running.push(resolve));
  });
  const finish = async (n: number) => {
    for (const resolve of running.splice(0, n)) resolve();
    // Two turns: the read's promise, then the queue's handler.
    await Promise.resolve();
    await Promise.resolve();
  };
  return { queue, started, finish };
}

describe('ReadQueue', () => {
  it('runs at most the limit, and starts waiting rows first in, first out across owners', async () => {
    const { queue, started, finish } = harness(2);
    queue.push('a', 3);
    queue.push('b', 2);
    expect(started).toEqual(['a0', 'a1']);
    expect([queue.running, queue.waiting]).toEqual([2, 3]);
    await finish(1);
    expect(started).toEqual(['a0', 'a1', 'a2']);
    await finish(2);
    expect(started).toEqual(['a0', 'a1', 'a2', 'b0', 'b1']);
    await finish(2);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('a rise of the limit starts waiting rows at once; a fall waits for running reads to finish', async () => {
    const { queue, started, finish } = harness(1);
    queue.push('a', 5);
    queue.resize(3);
    expect(started).toEqual(['a0', 'a1', 'a2']);
    queue.resize(1);
    await finish(2); // 1 still running: at the limit, nothing starts
    expect(started).toEqual(['a0', 'a1', 'a2']);
    await finish(1);
    expect(started).toEqual(['a0', 'a1', 'a2', 'a3']);
  });

  it('frees the slot of a read that rejects, and throws its error again rather than swallowing it', async () => {
    const thrown: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (task) =>
      original(() => {
        try {
          task();
        } catch (error) {
          thrown.push(error);
        }
      });
    try {
      const started: number[] = [];
      const queue = new ReadQueue<string>(1, async (_owner, index) => {
        started.push(index);
        if (index === 0) throw new Error('a bug in the owner');
      });
      queue.push('a', 2);
      for (let i = 0; i < 4; i++) await Promise.resolve();
      expect(started).toEqual([0, 1]);
      expect(thrown.map((e) => (e as Error).message)).toEqual(['a bug in the owner']);
    } finally {
      globalThis.queueMicrotask = original;
    }
  });

  it('keeps its order over many rows (the started prefix is dropped in chunks)', async () => {
    const order: number[] = [];
    const queue = new ReadQueue<number>(3, async (owner, index) => {
      order.push(owner * 1000 + index);
    });
    for (let owner = 0; owner < 5; owner++) queue.push(owner, 1000);
    for (let i = 0; i < 20_000 && order.length < 5000; i++) await Promise.resolve();
    expect(order).toEqual(
      Array.from({ length: 5000 }, (_, i) => Math.floor(i / 1000) * 1000 + (i % 1000)),
    );
  });
});
