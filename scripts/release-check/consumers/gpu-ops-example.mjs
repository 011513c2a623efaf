// @cassdl/gpu-ops's self-contained README example (a batch built by hand, no
// Cassandra), as a project runs it after `npm i @cassdl/gpu-ops @tensorflow/tfjs`.
import '@tensorflow/tfjs';
import { pipeline } from '@cassdl/gpu-ops';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';

await tf.setBackend('cpu');
const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } })
  .png()
  .toBuffer();
const batch = {
  epoch: 0,
  index: 0,
  size: 1,
  padding: 0,
  ids: new Uint8Array(16),
  data: png,
  dataOffsets: Uint32Array.of(0, png.length),
  labels: { kind: 'int', values: Int32Array.of(3) },
};
const train = pipeline().resize({ size: 32 }).labels({ oneHot: 10 });
const { xs, ys } = await train.run(batch);
console.log(JSON.stringify({ xs: xs.shape, ys: ys.shape }));
const ok = xs.shape.join() === '1,32,32,3' && ys.shape.join() === '1,10';
tf.dispose([xs, ys]);
await train.close();
process.exitCode = ok ? 0 : 1;
