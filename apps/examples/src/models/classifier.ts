import * as tf from '@tensorflow/tfjs';
import { seededConvolutions } from './init.js';

/**
 * A small CNN (about 4k parameters at 10 classes): three 3x3 convolutions,
 * global average pooling, softmax. Enough for shapes and colours; swap in a
 * ResNet for real data.
 */
export function smallClassifier(
  size: number,
  classes: number,
  learningRate = 0.01,
  seed = 0,
): tf.LayersModel {
  const { conv, init } = seededConvolutions(seed);
  const model = tf.sequential({
    layers: [
      conv(8, { inputShape: [size, size, 3] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(16),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(16),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ kernelInitializer: init(), units: classes, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
