import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { pipeline } from '../index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { makeBatch } from './helpers/batch.js';
import { encodePng, patternImage } from './helpers/images.js';

// Tiny tensors keep 1,000 batches cheap on a shared 2-core machine; what is
// measured is the tensor count, which does not depend on tensor size.
describe.each(BACKENDS)('memory on the %s backend', (backend) => {
  it('holds no tensor between batches over 1,000 batches (every label path)', async () => {
    await useBackend(backend);
    const pngs = await Promise.all([0, 1].map((s) => encodePng(patternImage(6, 5, 3, s))));
    const masks = await Promise.all([0, 1].map((s) => encodePng(patternImage(6, 5, 1, s))));
    const pipelines = [
      {
        p: pipeline({ seed: 1 })
          .randomResizedCrop({ size: 4 })
          .flip({ horizontal: 0.5 })
          .labels({ oneHot: 3 }),
        batch: makeBatch(pngs, { kind: 'int', values: [0, 2] }),
      },
      {
        p: pipeline()
          .resize({ size: 4 })
          .normalize({ layout: 'NCHW', padChannels: 4 })
          .mask({ oneHot: 256 }),
        batch: makeBatch(pngs, { kind: 'blob', blobs: masks }),
      },
    ];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      const { p, batch } = pipelines[i % 2]!;
      const { xs, ys } = await p.run({ ...batch, index: i });
      xs.dispose();
      ys.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(pipelines[0]!.p.stats.samples).toBe(1000);
  }, 60_000);
});
