import * as tf from '@tensorflow/tfjs';
import { seededInitializers } from './init.js';

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
  const init = seededInitializers(seed);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        kernelInitializer: init(),
        inputShape: [size, size, 3],
        filters: 16,
        kernelSize: 3,
        activation: 'relu',
        padding: 'same',
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        kernelInitializer: init(),
        filters: 16,
        kernelSize: 3,
        activation: 'relu',
        padding: 'same',
      }),
      tf.layers.globalMaxPooling2d({}),
      tf.layers.dense({ kernelInitializer: init(), units: tags, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy' });
  return model;
}
