import type { RawBatch } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineOptions } from '../index.js';
import { CassdlValidationError, pipeline, SampleDecodeError } from '../index.js';
import { useBackend } from './helpers/backends.js';
import { makeBatch, testIdString } from './helpers/batch.js';
import { encodeJpeg, encodePng, patternImage, photoLikeImage } from './helpers/images.js';

const MEAN = [123.675, 116.28, 103.53];
const STD = [58.395, 57.12, 57.375];

function train(options: PipelineOptions) {
  return pipeline({ seed: 3, ...options })
    .randomResizedCrop({ size: [20, 24] })
    .flip({ horizontal: 0.5, vertical: 0.5 });
}

async function run(p: ReturnType<typeof train>, batch: RawBatch) {
  const out = await p.run(batch);
  const result = {
    xs: Float32Array.from(await out.xs.data()),
    ys: out.ys ? Array.from(await out.ys.data()) : undefined,
    sourceRows: Array.from(out.sourceRows),
    stats: out.stats,
  };
  tf.dispose([out.xs, out.ys]);
  await p.close();
  return result;
}

/** Mean absolute difference per element of one row of two batches. */
function rowDifference(a: Float32Array, b: Float32Array, row: number, length: number): number {
  let sum = 0;
  for (let i = row * length; i < (row + 1) * length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / length;
}

/** Photo-like JPEGs, a PNG and a CMYK JPEG: rows the native decoder takes and rows it leaves. */
async function mixedBatch(): Promise<RawBatch> {
  const photo = (salt: number) => encodeJpeg(photoLikeImage(64, 48, salt));
  const cmyk = await sharp(photoLikeImage(64, 48, 7).pixels, {
    raw: { width: 64, height: 48, channels: 3 },
  })
    .toColourspace('cmyk')
    .jpeg()
    .toBuffer();
  const images = [
    await photo(0),
    await encodePng(patternImage(64, 48, 3, 1)),
    cmyk,
    await photo(3),
    await photo(4),
  ];
  return makeBatch(images, { kind: 'int', values: [0, 1, 2, 3, 4] }, { epoch: 2, index: 5 });
}

describe('the native JPEG decoder', () => {
  beforeAll(() => useBackend('cpu'));
  afterEach(() => expect(tf.memory().numTensors).toBe(0));

  it.each([0, 2])(
    'decodes the JPEG rows close to sharp and leaves PNG and CMYK rows to sharp, byte for byte (workers: %i)',
    async (workers) => {
      const batch = await mixedBatch();
      const build = (decoder: 'native' | 'sharp') =>
        train({ workers, decoder }).normalize({ mean: MEAN, std: STD });
      const native = build('native');
      const viaNative = await run(native, batch);
      expect(native.decoder).toMatchObject({ kind: 'native', threads: expect.any(Number) });
      const sharpOnly = build('sharp');
      const viaSharp = await run(sharpOnly, batch);
      expect(sharpOnly.decoder).toEqual({ kind: 'sharp', reason: "decoder: 'sharp'" });
      const length = 20 * 24 * 3;
      for (const row of [1, 2])
        expect(rowDifference(viaNative.xs, viaSharp.xs, row, length)).toBe(0);
      // 2/255 of the pixel range, in normalized units (std about 57).
      for (const row of [0, 3, 4])
        expect(rowDifference(viaNative.xs, viaSharp.xs, row, length)).toBeLessThan(2 / 57);
      expect(viaNative.stats).toEqual(viaSharp.stats);
    },
  );

  it('writes the same normalized values as the table applied to its own 8-bit output, NHWC and NCHW', async () => {
    const batch = await mixedBatch();
    const raw = await run(
      train({ workers: 0, decoder: 'native' }).normalize({ dtype: 'uint8' }),
      batch,
    );
    const nhwc = await run(
      train({ workers: 0, decoder: 'native' }).normalize({ mean: MEAN, std: STD }),
      batch,
    );
    const nchw = await run(
      train({ workers: 0, decoder: 'native' }).normalize({
        mean: MEAN,
        std: STD,
        layout: 'NCHW',
        padChannels: true,
      }),
      batch,
    );
    const pixels = 20 * 24;
    for (let row = 0; row < 5; row++) {
      for (let p = 0; p < pixels; p++) {
        for (let c = 0; c < 3; c++) {
          const value = raw.xs[(row * pixels + p) * 3 + c]!;
          const want = Math.fround((value - MEAN[c]!) / STD[c]!);
          expect(nhwc.xs[(row * pixels + p) * 3 + c]).toBe(want);
          expect(nchw.xs[(row * 4 + c) * pixels + p]).toBe(want);
        }
        expect(nchw.xs[(row * 4 + 3) * pixels + p]).toBe(0);
      }
    }
  });

  it('leaves a JPEG it cannot decode to sharp, which names it as before', async () => {
    const good = await Promise.all([0, 1, 2].map((s) => encodeJpeg(photoLikeImage(40, 30, s))));
    // Cut inside the entropy-coded data: the header reads, the pixels do not.
    const truncated = good[1]!.subarray(0, 700);
    const batch = makeBatch([good[0]!, truncated, good[2]!]);
    // One after the other: libvips keeps its last error in one buffer per process.
    const errors: unknown[] = [];
    for (const decoder of ['native', 'sharp'] as const)
      errors.push(
        await train({ workers: 0, decoder })
          .run(batch)
          .catch((e: unknown) => e),
      );
    for (const error of errors) {
      expect(error).toBeInstanceOf(SampleDecodeError);
      expect((error as SampleDecodeError).sampleId).toBe(testIdString(1));
    }
    // libvips' reason after the colon comes from its one error buffer per
    // process, which test files running beside this one also write to: what
    // we own is the sample, its row and what failed.
    const named = (error: unknown) =>
      (error as Error).message.replace(/(cannot decode image: ).*/s, '$1');
    expect(named(errors[0])).toBe(`sample ${testIdString(1)} (batch row 1): cannot decode image: `);
    expect(named(errors[1])).toBe(named(errors[0]));
    const skipped = await run(train({ workers: 0, decoder: 'native', onCorrupt: 'skip' }), batch);
    expect(skipped.sourceRows).toEqual([0, 2]);
    expect(skipped.stats).toMatchObject({ samples: 3, decoded: 2, corrupt: 1, skipped: 1 });
  });

  it('gives masks (through sharp) the same window and flips as with sharp alone', async () => {
    const images = await Promise.all([0, 1, 2].map((s) => encodeJpeg(photoLikeImage(32, 24, s))));
    const masks = await Promise.all(
      [0, 1, 2].map((s) => encodePng(patternImage(32, 24, 1, s + 10))),
    );
    const batch = makeBatch(images, { kind: 'blob', blobs: masks }, { index: 9 });
    for (const workers of [0, 2]) {
      const [native, viaSharp] = await Promise.all(
        (['native', 'sharp'] as const).map((decoder) =>
          run(train({ workers, decoder }).normalize({ dtype: 'uint8' }).mask(), batch),
        ),
      );
      expect(native!.ys).toEqual(viaSharp!.ys);
      for (let row = 0; row < 3; row++)
        expect(rowDifference(native!.xs, viaSharp!.xs, row, 20 * 24 * 3)).toBeLessThanOrEqual(2);
    }
  });

  it.each([
    [32, 24],
    [120, 90],
  ])(
    'resizes whole images (the eval transform) within 2/255 of a full-resolution decode and resize (to %ix%i)',
    async (width, height) => {
      const images = await Promise.all([0, 1].map((s) => encodeJpeg(photoLikeImage(64, 48, s))));
      const native = await run(
        pipeline({ workers: 0, decoder: 'native' })
          .resize({ size: [height, width] })
          .normalize({ dtype: 'uint8' }),
        makeBatch(images),
      );
      const length = width * height * 3;
      for (const [row, bytes] of images.entries()) {
        // The no-op extract turns sharp's own shrink-on-load off: a full-resolution decode.
        const want = await sharp(bytes)
          .extract({ left: 0, top: 0, width: 64, height: 48 })
          .resize(width, height, { fit: 'fill', kernel: 'linear' })
          .raw()
          .toBuffer();
        const got = native.xs.subarray(row * length, (row + 1) * length);
        expect(rowDifference(got, Float32Array.from(want), 0, length)).toBeLessThanOrEqual(2);
      }
    },
  );

  it("says why a pipeline stays on sharp, and refuses decoder: 'native' where it cannot run", async () => {
    const batch = makeBatch([await encodeJpeg(photoLikeImage(32, 24, 0))]);
    const nearest = pipeline({ workers: 0 }).resize({ size: 8, interpolation: 'nearest' });
    tf.dispose((await nearest.run(batch)).xs);
    expect(nearest.decoder).toEqual({
      kind: 'sharp',
      reason:
        "the native decoder does not take interpolation 'nearest' (it resizes bilinearly only)",
    });
    const gray = pipeline({ workers: 0, decoder: 'native' })
      .decode({ channels: 1 })
      .resize({ size: 8 });
    await expect(gray.run(batch)).rejects.toBeInstanceOf(CassdlValidationError);
    await expect(gray.run(batch)).rejects.toThrow(/decoder.*channels: 1/);
  });
});
