import * as tf from '@tensorflow/tfjs';
import { seededConvolutions } from './init.js';

/**
 * A tiny U-Net: one downsampling stage, one upsampling stage and a skip
 * connection that brings back full-resolution edges; per-pixel softmax.
 */
export function tinySegmenter(
  size: number,
  classes: number,
  learningRate = 0.01,
  seed = 0,
): tf.LayersModel {
  const { conv, init } = seededConvolutions(seed);
  const input = tf.input({ shape: [size, size, 3] });
  const enc = conv(8).apply(input) as tf.SymbolicTensor;
  const down = tf.layers.maxPooling2d({ poolSize: 2 }).apply(enc) as tf.SymbolicTensor;
  const mid = conv(16).apply(down) as tf.SymbolicTensor;
  const up = tf.layers.upSampling2d({ size: [2, 2] }).apply(mid) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate().apply([up, enc]) as tf.SymbolicTensor;
  const dec = conv(8).apply(merged) as tf.SymbolicTensor;
  const output = tf.layers
    .conv2d({ kernelInitializer: init(), filters: classes, kernelSize: 1, activation: 'softmax' })
    .apply(dec) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' });
  return model;
}
