import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pipeline, planSample } from '../index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { makeBatch } from './helpers/batch.js';
import {
  cropRaw,
  encodeJpeg,
  encodePng,
  flipRaw,
  maxAbsDiff,
  patternImage,
  referenceDecode,
  resizeRaw,
} from './helpers/images.js';

// Every op against an independent reference (plain arithmetic, or sharp on
// raw pixels with no crop/decode involved), on each backend the tests have.
describe.each(BACKENDS)('ops on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));
  afterEach(() => expect(tf.memory().numTensors).toBe(0));

  async function pixels(p: ReturnType<typeof pipeline>, batch: ReturnType<typeof makeBatch>) {
    const out = await p.run(batch);
    const values = await out.xs.data();
    const shape = out.xs.shape;
    out.xs.dispose();
    out.ys?.dispose();
    return { values, shape, out };
  }

  it('decodes PNG exactly, in 1, 3 and 4 channels', async () => {
    const rgb = patternImage(20, 16, 3);
    const batch = makeBatch([await encodePng(rgb), await encodePng(patternImage(20, 16, 3, 1))]);
    const three = await pixels(pipeline().decode({ channels: 3 }), batch);
    expect(three.shape).toEqual([2, 16, 20, 3]);
    expect(maxAbsDiff(three.values.subarray(0, rgb.pixels.length), rgb.pixels)).toBe(0);

    const four = await pixels(pipeline().decode({ channels: 4 }), batch);
    expect(four.shape).toEqual([2, 16, 20, 4]);
    for (let p = 0; p < 20 * 16; p++) {
      expect([...four.values.subarray(p * 4, p * 4 + 4)]).toEqual([
        ...rgb.pixels.subarray(p * 3, p * 3 + 3),
        255,
      ]);
    }

    const gray = patternImage(20, 16, 1);
    const one = await pixels(
      pipeline().decode({ channels: 1 }),
      makeBatch([await encodePng(gray)]),
    );
    expect(one.shape).toEqual([1, 16, 20, 1]);
    expect(maxAbsDiff(one.values, gray.pixels)).toBe(0);
  });

  it('decodes JPEG like the reference decoder, exactly', async () => {
    const jpeg = await encodeJpeg(patternImage(33, 21, 3));
    const ref = await referenceDecode(jpeg);
    const { values, shape } = await pixels(pipeline(), makeBatch([jpeg]));
    expect(shape).toEqual([1, 21, 33, 3]);
    expect(maxAbsDiff(values, ref.pixels)).toBe(0);
  });

  it('center-crops exactly and mirrors exactly', async () => {
    const image = patternImage(30, 24, 3);
    const batch = makeBatch([await encodePng(image)]);
    const expected = cropRaw(image, 5, 4, 20, 16); // floor((30-20)/2), floor((24-16)/2)
    const plain = await pixels(pipeline().centerCrop({ size: [16, 20] }), batch);
    expect(maxAbsDiff(plain.values, expected.pixels)).toBe(0);
    for (const [horizontal, vertical] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const flipped = await pixels(
        pipeline()
          .centerCrop({ size: [16, 20] })
          .flip({ horizontal: horizontal ? 1 : 0, vertical: vertical ? 1 : 0 }),
        batch,
      );
      expect(maxAbsDiff(flipped.values, flipRaw(expected, horizontal, vertical).pixels)).toBe(0);
    }
  });

  it('resizes bilinearly within 1 level of sharp resizing the raw pixels', async () => {
    const image = patternImage(40, 30, 3);
    const batch = makeBatch([await encodePng(image)]);
    const ref = await resizeRaw(image, 17, 13, 'linear');
    const { values, shape } = await pixels(pipeline().resize({ size: [13, 17] }), batch);
    expect(shape).toEqual([1, 13, 17, 3]);
    expect(maxAbsDiff(values, ref.pixels)).toBeLessThanOrEqual(1);
  });

  it('random-resized-crops the planned window, within 1 level of crop-then-resize', async () => {
    const images = [
      patternImage(48, 36, 3, 0),
      patternImage(36, 48, 3, 1),
      patternImage(50, 50, 3, 2),
    ];
    const batch = makeBatch(
      await Promise.all(images.map(encodePng)),
      { kind: 'none' },
      { epoch: 3, index: 7 },
    );
    const p = pipeline({ seed: 11 }).randomResizedCrop({ size: [12, 16], scale: [0.2, 0.6] });
    const { values } = await pixels(p, batch);
    for (const [row, image] of images.entries()) {
      const plan = planSample(image.width, image.height, p.config.geometry, p.config.flip, {
        seed: 11,
        epoch: 3,
        batchIndex: 7,
        sampleIndex: row,
      });
      const { left, top, width, height } = plan.window;
      expect(width * height).toBeGreaterThanOrEqual(
        0.2 * image.width * image.height - width - height,
      );
      const ref = await resizeRaw(cropRaw(image, left, top, width, height), 16, 12, 'linear');
      const got = values.subarray(row * 12 * 16 * 3, (row + 1) * 12 * 16 * 3);
      expect(maxAbsDiff(got, ref.pixels)).toBeLessThanOrEqual(1);
    }
  });

  it.each([false, true])(
    'normalizes per channel like plain arithmetic (float32 rounding), NHWC and NCHW, with padding (inDecoder: %s)',
    async (inDecoder) => {
      const image = patternImage(9, 7, 3);
      const batch = makeBatch([await encodePng(image)]);
      const mean = [123.675, 116.28, 103.53];
      const std = [58.395, 57.12, 57.375];
      const scale = 0.5;
      const shift = 0.25;
      const expected = (p: number, c: number) =>
        (scale * (image.pixels[p * 3 + c]! - mean[c]!)) / std[c]! + shift;

      const nhwc = await pixels(
        pipeline().normalize({ mean, std, scale, shift, padChannels: 4, inDecoder }),
        batch,
      );
      expect(nhwc.shape).toEqual([1, 7, 9, 4]);
      const nchw = await pixels(
        pipeline().normalize({ mean, std, scale, shift, layout: 'NCHW', inDecoder }),
        batch,
      );
      expect(nchw.shape).toEqual([1, 3, 7, 9]);
      let worst = 0;
      for (let p = 0; p < 63; p++) {
        for (let c = 0; c < 3; c++) {
          worst = Math.max(worst, Math.abs(nhwc.values[p * 4 + c]! - expected(p, c)));
          worst = Math.max(worst, Math.abs(nchw.values[c * 63 + p]! - expected(p, c)));
        }
        expect(nhwc.values[p * 4 + 3]).toBe(0);
      }
      expect(worst).toBeLessThan(1e-5); // float32 arithmetic in libvips vs float64 here
    },
  );

  it.each([false, true])(
    'normalizes after crop, resize and flip the same as doing them in turn (within 1 level / std; inDecoder: %s)',
    async (inDecoder) => {
      const image = patternImage(48, 36, 3);
      const batch = makeBatch([await encodePng(image)], { kind: 'none' }, { index: 4 });
      const mean = [120, 110, 100];
      const std = [60, 50, 40];
      const p = pipeline({ seed: 5 })
        .randomResizedCrop({ size: [10, 14] })
        .flip({ horizontal: 1, vertical: 1 })
        .normalize({ mean, std, layout: 'NCHW', inDecoder });
      const { values } = await pixels(p, batch);
      const plan = planSample(48, 36, p.config.geometry, p.config.flip, {
        seed: 5,
        epoch: 0,
        batchIndex: 4,
        sampleIndex: 0,
      });
      const { left, top, width, height } = plan.window;
      const ref = flipRaw(
        await resizeRaw(cropRaw(image, left, top, width, height), 14, 10, 'linear'),
        true,
        true,
      );
      let worst = 0;
      for (let p = 0; p < 140; p++) {
        for (let c = 0; c < 3; c++) {
          worst = Math.max(
            worst,
            Math.abs(values[c * 140 + p]! - (ref.pixels[p * 3 + c]! - mean[c]!) / std[c]!),
          );
        }
      }
      expect(worst).toBeLessThanOrEqual(1 / 40 + 1e-5);
    },
  );

  it.each([false, true])(
    'normalizes gray, RGBA and 16-bit sources to RGB like plain arithmetic (inDecoder: %s)',
    async (inDecoder) => {
      const rgb = patternImage(8, 6, 3);
      const rgba = patternImage(8, 6, 4);
      const gray = patternImage(8, 6, 1);
      const sixteen = await sharp(rgb.pixels, { raw: { width: 8, height: 6, channels: 3 } })
        .toColourspace('rgb16')
        .png()
        .toBuffer();
      const batch = makeBatch([await encodePng(gray), await encodePng(rgba), sixteen]);
      const { values } = await pixels(
        pipeline().normalize({ mean: [100, 50, 20], std: [2, 4, 8], inDecoder }),
        batch,
      );
      const sources = [
        (p: number, _c: number) => gray.pixels[p]!,
        (p: number, c: number) => rgba.pixels[p * 4 + c]!,
        (p: number, c: number) => rgb.pixels[p * 3 + c]!,
      ];
      for (const [row, source] of sources.entries()) {
        let worst = 0;
        for (let p = 0; p < 48; p++) {
          for (let c = 0; c < 3; c++) {
            const want = (source(p, c) - [100, 50, 20][c]!) / [2, 4, 8][c]!;
            worst = Math.max(worst, Math.abs(values[row * 144 + p * 3 + c]! - want));
          }
        }
        expect(worst, `row ${row}`).toBeLessThan(1e-5);
      }
    },
  );

  it.each(['uint8', 'int32'] as const)(
    "keeps raw pixels with dtype '%s' (an int32 tensor: TensorFlow.js has no uint8)",
    async (dtype) => {
      const image = patternImage(6, 5, 3);
      const out = await pipeline()
        .normalize({ dtype })
        .run(makeBatch([await encodePng(image)]));
      expect(out.xs.dtype).toBe('int32');
      expect([...(await out.xs.data())]).toEqual([...image.pixels]);
      out.xs.dispose();
    },
  );

  it("refuses dtype 'uint8' with a mean or std, naming the fix", () => {
    expect(() => pipeline().normalize({ dtype: 'uint8', std: [255] })).toThrow(
      /'float32' when mean\/std\/scale\/shift change values \('uint8' carries raw pixels only\)/,
    );
  });

  it('turns int labels into int32 indices or float32 one-hot rows', async () => {
    const png = await encodePng(patternImage(4, 4, 3));
    const batch = makeBatch([png, png, png], { kind: 'int', values: [2, 0, 1] });
    const plain = await pipeline().run(batch);
    expect(plain.ys?.dtype).toBe('int32');
    expect([...(await plain.ys!.data())]).toEqual([2, 0, 1]);
    const hot = await pipeline().labels({ oneHot: 3 }).run(batch);
    expect(hot.ys.dtype).toBe('float32');
    expect(hot.ys.arraySync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    tf.dispose([plain.xs, plain.ys!, hot.xs, hot.ys]);
  });
});
