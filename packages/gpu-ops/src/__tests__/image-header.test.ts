import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../decode/image-header.js';
import { encodeJpeg, encodePng, patternImage } from './helpers/images.js';

// sharp's own metadata() is the reference for sizes.
describe('readImageHeader', () => {
  it('reads JPEG (baseline and progressive) and PNG sizes like sharp', async () => {
    const raw = patternImage(37, 23, 3);
    const files = [
      await encodeJpeg(raw),
      await sharp(raw.pixels, { raw: { width: 37, height: 23, channels: 3 } })
        .jpeg({ progressive: true })
        .toBuffer(),
      await encodePng(raw),
      await encodePng(patternImage(5, 300, 1)),
    ];
    for (const file of files) {
      const meta = await sharp(file).metadata();
      const header = readImageHeader(file);
      expect([header.width, header.height, header.format]).toEqual([
        meta.width,
        meta.height,
        meta.format,
      ]);
    }
  });

  it('tells plain 8-bit gray/RGB from alpha, palette transparency and 16-bit', async () => {
    const raw3 = patternImage(4, 4, 3);
    const gray = patternImage(4, 4, 1);
    const plain = [
      await encodePng(raw3),
      await encodePng(gray), // sharp writes one raw band as an RGB PNG
      await encodeJpeg(raw3),
      await sharp(gray.pixels, { raw: { width: 4, height: 4, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toBuffer(),
      await sharp(gray.pixels, { raw: { width: 4, height: 4, channels: 1 } })
        .toColourspace('b-w')
        .jpeg()
        .toBuffer(),
    ];
    const other = [
      await encodePng(patternImage(4, 4, 4)),
      await sharp(raw3.pixels, { raw: { width: 4, height: 4, channels: 3 } })
        .toColourspace('rgb16')
        .png()
        .toBuffer(),
      await sharp(patternImage(4, 4, 4).pixels, { raw: { width: 4, height: 4, channels: 4 } })
        .png({ palette: true })
        .toBuffer(),
    ];
    expect(plain.map((f) => readImageHeader(f).plain8Bit)).toEqual([true, true, true, true, true]);
    expect(other.map((f) => readImageHeader(f).plain8Bit)).toEqual([false, false, false]);
    expect(plain.map((f) => readImageHeader(f).gray8Bit)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(other.map((f) => readImageHeader(f).gray8Bit)).toEqual([false, false, false]);
  });

  it('rejects other formats and truncated headers without reading out of bounds', async () => {
    const jpeg = await encodeJpeg(patternImage(16, 16, 3));
    expect(() => readImageHeader(new Uint8Array(0))).toThrow(/not a JPEG or PNG \(0 bytes/);
    expect(() => readImageHeader(new TextEncoder().encode('GIF89a....'))).toThrow(
      /starting 47 49 46 38/,
    );
    const frame = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
    expect(frame).toBeGreaterThan(0);
    for (let cut = 2; cut < frame + 10; cut++) {
      expect(() => readImageHeader(jpeg.subarray(0, cut))).toThrow(/JPEG/);
    }
  });
});
