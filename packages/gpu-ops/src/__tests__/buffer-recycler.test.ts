import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pipeline } from '../index.js';
import { BufferRecycler } from '../pipeline/buffer-recycler.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { makeBatch } from './helpers/batch.js';
import { encodePng, patternImage } from './helpers/images.js';

describe.each(BACKENDS)('batch memory recycling on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));
  afterEach(() => expect(tf.memory().numTensors).toBe(0));

  it('lends memory out again only after every tensor sharing its data is disposed', () => {
    const recycler = new BufferRecycler();
    const memory = recycler.take(1 << 20, false);
    const xs = tf.tensor1d(new Float32Array(memory));
    recycler.lend(memory, xs);
    expect(recycler.take(1 << 20, false)).not.toBe(memory);
    const view = tf.reshape(xs, [2, -1]); // shares xs's data
    xs.dispose();
    expect(recycler.take(1 << 20, false)).not.toBe(memory);
    view.dispose();
    expect(recycler.lentCount).toBe(0);
    expect(recycler.take(1 << 20, false)).toBe(memory);
  });

  it('rounds sizes up to a class, so batches of nearby sizes share memory', () => {
    const recycler = new BufferRecycler();
    const memory = recycler.take(1_000_000, true);
    expect(memory.byteLength).toBeGreaterThanOrEqual(1_000_000);
    expect(memory.byteLength).toBeLessThan(1_000_000 * 1.125);
    recycler.give(memory);
    expect(recycler.take(1_010_000, true)).toBe(memory);
    expect(recycler.take(1_010_000, false)).not.toBe(memory); // private and shared never mix
  });

  it.each([0, 1])('never changes a batch the caller still holds (workers: %i)', async (workers) => {
    const pngs = await Promise.all(
      [0, 1, 2].map((salt) => encodePng(patternImage(16, 12, 3, salt))),
    );
    const p = pipeline({ workers, seed: 7 })
      .randomResizedCrop({ size: 8 })
      .flip({ horizontal: 0.5 })
      .normalize({ mean: [127.5], std: [127.5] });
    const batchAt = (index: number) => makeBatch(pngs, { kind: 'none' }, { index });
    try {
      const first = await p.run(batchAt(0));
      const kept = Array.from(await first.xs.data());
      const second = await p.run(batchAt(1)); // first is alive: must get other memory
      expect(Array.from(await first.xs.data())).toEqual(kept);
      const expected = Array.from(await second.xs.data());
      tf.dispose([first.xs, second.xs]);
      const again = await p.run(batchAt(1)); // recycled memory, same values as fresh memory
      expect(Array.from(await again.xs.data())).toEqual(expected);
      again.xs.dispose();
    } finally {
      await p.close();
    }
  });
});
