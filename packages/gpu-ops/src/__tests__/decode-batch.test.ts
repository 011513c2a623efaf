import { describe, expect, it } from 'vitest';
import { decodeBatch, formatSampleId, SampleDecodeError } from '../index.js';
import { makeBatch, testId, testIdString } from './helpers/batch.js';
import {
  encodeJpeg,
  encodePng,
  maxAbsDiff,
  patternImage,
  referenceDecode,
  resizeRaw,
} from './helpers/images.js';

describe('decodeBatch', () => {
  it('writes every image into one NHWC Uint8Array, exactly as the reference decoder', async () => {
    const jpegs = await Promise.all([0, 1, 2].map((s) => encodeJpeg(patternImage(24, 18, 3, s))));
    const out = await decodeBatch(makeBatch(jpegs));
    expect(out.shape).toEqual([3, 18, 24, 3]);
    for (const [row, jpeg] of jpegs.entries()) {
      const ref = await referenceDecode(jpeg);
      expect(
        maxAbsDiff(
          out.pixels.subarray(row * ref.pixels.length, (row + 1) * ref.pixels.length),
          ref.pixels,
        ),
      ).toBe(0);
    }
  });

  it('resizes to a common size and converts channels', async () => {
    const gray = patternImage(30, 20, 1);
    const out = await decodeBatch(
      makeBatch([await encodePng(gray), await encodePng(patternImage(13, 9, 1))]),
      {
        channels: 1,
        size: [10, 15],
      },
    );
    expect(out.shape).toEqual([2, 10, 15, 1]);
    const ref = await resizeRaw(gray, 15, 10, 'linear');
    expect(maxAbsDiff(out.pixels.subarray(0, 150), ref.pixels)).toBeLessThanOrEqual(1);
  });

  it('names a corrupt sample, or skips it by policy', async () => {
    const good = await encodePng(patternImage(4, 4, 3));
    const batch = makeBatch([good, new Uint8Array([0xff, 0xd8, 0xff]), good]);
    await expect(decodeBatch(batch)).rejects.toThrow(SampleDecodeError);
    await expect(decodeBatch(batch)).rejects.toThrow(testIdString(1));
    const skipped = await decodeBatch(batch, { onCorrupt: 'skip' });
    expect(skipped.shape[0]).toBe(2);
    expect(skipped.stats).toMatchObject({ corrupt: 1, skipped: 1, corruptIds: [testIdString(1)] });
  });

  it('formats ids as UUIDs', () => {
    expect(formatSampleId(testId(255), 0)).toBe('00000000-0000-4000-8000-0000000000ff');
  });
});
