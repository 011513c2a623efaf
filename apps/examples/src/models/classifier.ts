import * as tf from '@tensorflow/tfjs';
import { seededInitializers } from './init.js';

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
  const init = seededInitializers(seed);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        kernelInitializer: init(),
        inputShape: [size, size, 3],
        filters: 8,
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
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        kernelInitializer: init(),
        filters: 16,
        kernelSize: 3,
        activation: 'relu',
        padding: 'same',
      }),
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
