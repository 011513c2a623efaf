import * as tf from '@tensorflow/tfjs';
import { seededConvolutions } from './init.js';

/**
 * A small CNN (two convolutions) with one sigmoid per tag. Global max pooling (rather than
 * average) answers "is this tag anywhere in the image", which is the question.
 */
export function multilabelClassifier(
  size: number,
  tags: number,
  learningRate = 0.01,
  seed = 0,
): tf.LayersModel {
  const { conv, init } = seededConvolutions(seed);
  const model = tf.sequential({
    layers: [
      conv(16, { inputShape: [size, size, 3] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(16),
      tf.layers.globalMaxPooling2d({}),
      tf.layers.dense({ kernelInitializer: init(), units: tags, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy' });
  return model;
}
