import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GeometrySpec, SamplePlan } from '../index.js';
import { pipeline, planSample } from '../index.js';
import { useBackend } from './helpers/backends.js';
import { makeBatch } from './helpers/batch.js';
import { encodeJpeg, photoLikeImage } from './helpers/images.js';

const RRC: GeometrySpec = {
  kind: 'randomResizedCrop',
  size: [224, 224],
  scale: [0.08, 1],
  ratio: [3 / 4, 4 / 3],
  attempts: 10,
  interpolation: 'bilinear',
};

describe('reproducibility of the fused decode', () => {
  it('keeps the crop windows and flips each seed gave before', () => {
    // Recorded from the pipeline of release 0.1: a faster decode path must not move them.
    const recorded = [
      [0, 0, 0, { left: 139, top: 42, width: 304, height: 328 }, false],
      [0, 1, 5, { left: 9, top: 7, width: 324, height: 262 }, true],
      [3, 7, 127, { left: 41, top: 79, width: 277, height: 229 }, true],
      [1, 2, 64, { left: 146, top: 2, width: 309, height: 372 }, false],
    ] as const;
    for (const [epoch, batchIndex, sampleIndex, window, flip] of recorded) {
      const plan = planSample(
        500,
        375,
        RRC,
        { horizontal: 0.5, vertical: 0 },
        {
          seed: 1,
          epoch,
          batchIndex,
          sampleIndex,
        },
      );
      expect(plan.window).toEqual(window);
      expect(plan.flipHorizontal).toBe(flip);
    }
  });
});

/** Full-resolution decode, then the same crop, resize and mirror: what any faster path must match. */
async function reference(bytes: Uint8Array, plan: SamplePlan): Promise<Uint8Array> {
  let image = sharp(bytes)
    .extract(plan.window)
    .resize(plan.size[1], plan.size[0], { fit: 'fill', kernel: 'linear' });
  if (plan.flipHorizontal) image = image.flop();
  return image.raw().toBuffer();
}

describe('decoded pixels', () => {
  beforeAll(() => useBackend('cpu'));

  it.each([
    ['native', 500, 375],
    ['native', 1600, 1200],
    ['sharp', 500, 375],
    ['sharp', 1600, 1200],
  ] as const)(
    'stay within 2/255 per channel (mean absolute difference) of a full-resolution decode of the same window (%s decoder, %ix%i)',
    async (decoder, width, height) => {
      const jpegs = await Promise.all(
        [0, 1, 2].map((s) => encodeJpeg(photoLikeImage(width, height, s))),
      );
      const p = pipeline({ seed: 9, workers: 0, decoder })
        .randomResizedCrop({ size: 224 })
        .flip({ horizontal: 0.5 })
        .normalize({ dtype: 'uint8' });
      const { xs } = await p.run(makeBatch(jpegs, { kind: 'none' }, { epoch: 1, index: 3 }));
      const got = await xs.data();
      xs.dispose();
      expect(p.decoder?.kind).toBe(decoder);
      for (let row = 0; row < jpegs.length; row++) {
        const key = { seed: 9, epoch: 1, batchIndex: 3, sampleIndex: row };
        const plan = planSample(width, height, RRC, { horizontal: 0.5, vertical: 0 }, key);
        const want = await reference(jpegs[row]!, plan);
        const sums = [0, 0, 0];
        const base = row * want.length;
        for (let i = 0; i < want.length; i++) sums[i % 3]! += Math.abs(got[base + i]! - want[i]!);
        for (const sum of sums)
          expect(sum / (want.length / 3), `row ${row}`).toBeLessThanOrEqual(2);
      }
      expect(tf.memory().numTensors).toBe(0);
    },
  );
});
