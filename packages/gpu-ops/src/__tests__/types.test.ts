import type * as tf from '@tensorflow/tfjs-core';
import { describe, expectTypeOf, it } from 'vitest';
import type { PipelineOutput } from '../index.js';
import { pipeline } from '../index.js';

// Checked by `tsc` (typecheck) as well as run: `ys` follows the label step.
describe('pipeline output types', () => {
  it('types ys from the label step', () => {
    const base = pipeline().resize({ size: 8 });
    expectTypeOf(base.run).returns.resolves.toEqualTypeOf<PipelineOutput<tf.Tensor | undefined>>();
    expectTypeOf(base.labels({}).run)
      .returns.resolves.toHaveProperty('ys')
      .toEqualTypeOf<tf.Tensor1D>();
    expectTypeOf(base.labels({ oneHot: 10 }).run)
      .returns.resolves.toHaveProperty('ys')
      .toEqualTypeOf<tf.Tensor2D>();
    expectTypeOf(base.labels({ npy: {} }).run)
      .returns.resolves.toHaveProperty('ys')
      .toEqualTypeOf<tf.Tensor>();
    expectTypeOf(base.mask().run)
      .returns.resolves.toHaveProperty('ys')
      .toEqualTypeOf<tf.Tensor3D>();
    expectTypeOf(base.mask({ oneHot: 3 }).run)
      .returns.resolves.toHaveProperty('ys')
      .toEqualTypeOf<tf.Tensor4D>();
    expectTypeOf(base.run).returns.resolves.toHaveProperty('xs').toEqualTypeOf<tf.Tensor4D>();
  });
});
