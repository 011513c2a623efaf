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
