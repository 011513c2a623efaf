import * as tf from '@tensorflow/tfjs';

/**
 * Seeded Glorot-uniform initializers, one seed per layer: with the reader's
 * seeded order and gpu-ops' seeded augmentation, a run on the cpu backend is
 * then reproducible end to end, so a test's metric does not drift run to run.
 */
export function seededInitializers(
  seed: number,
): () => ReturnType<typeof tf.initializers.glorotUniform> {
  let layer = 0;
  return () => tf.initializers.glorotUniform({ seed: seed * 1000 + layer++ });
}

/**
 * A factory of same-padded ReLU convolutions, each with the next seeded
 * initializer: the building block the example models share.
 */
export function seededConvolutions(seed: number): {
  conv: (
    filters: number,
    options?: { kernelSize?: number; inputShape?: number[] },
  ) => tf.layers.Layer;
  init: () => ReturnType<typeof tf.initializers.glorotUniform>;
} {
  const init = seededInitializers(seed);
  const conv = (filters: number, options: { kernelSize?: number; inputShape?: number[] } = {}) =>
    tf.layers.conv2d({
      kernelInitializer: init(),
      filters,
      kernelSize: options.kernelSize ?? 3,
      activation: 'relu',
      padding: 'same',
      ...(options.inputShape ? { inputShape: options.inputShape } : {}),
    });
  return { conv, init };
}
