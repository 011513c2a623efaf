import { describe, expect, it } from 'vitest';
import { centerCropWindow, randomResizedCropWindow, sampleRandom } from '../index.js';

describe('sampleRandom', () => {
  it('is a pure function of its key', () => {
    const draw = (...key: [number, number, number, number, number]) => {
      const r = sampleRandom(...key);
      return [r(), r(), r()];
    };
    expect(draw(1, 2, 3, 4, 1)).toEqual(draw(1, 2, 3, 4, 1));
    const base = draw(1, 2, 3, 4, 1);
    for (const other of [
      draw(2, 2, 3, 4, 1),
      draw(1, 3, 3, 4, 1),
      draw(1, 2, 4, 4, 1),
      draw(1, 2, 3, 5, 1),
      draw(1, 2, 3, 4, 2),
    ]) {
      expect(other).not.toEqual(base);
    }
  });

  it('draws uniformly in [0, 1)', () => {
    const r = sampleRandom(42, 0, 0, 0, 1);
    const buckets = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r();
      if (!(v >= 0 && v < 1)) outside++;
      else buckets[Math.floor(v * 10)]++;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('randomResizedCropWindow', () => {
  it('stays inside the image with area and aspect in range (up to rounding)', () => {
    for (let sample = 0; sample < 2000; sample++) {
      const width = 50 + (sample % 450);
      const height = 40 + ((sample * 7) % 300);
      const w = randomResizedCropWindow(
        width,
        height,
        [0.08, 1],
        [3 / 4, 4 / 3],
        10,
        sampleRandom(9, 0, 0, sample, 1),
      );
      expect(w.left).toBeGreaterThanOrEqual(0);
      expect(w.top).toBeGreaterThanOrEqual(0);
      expect(w.left + w.width).toBeLessThanOrEqual(width);
      expect(w.top + w.height).toBeLessThanOrEqual(height);
      const aspect = w.width / w.height;
      // Rounding each side to an integer moves the ratio by at most 1 pixel on each side.
      expect(aspect).toBeGreaterThanOrEqual(
        (3 / 4) * ((w.width - 1) / w.width) * (w.height / (w.height + 1)) - 1e-9,
      );
      expect(aspect).toBeLessThanOrEqual(
        (4 / 3) * ((w.width + 1) / w.width) * (w.height / (w.height - 1)) + 1e-9,
      );
      expect(w.width * w.height).toBeLessThanOrEqual(width * height);
    }
  });

  it('falls back to the center window clamped to the aspect range', () => {
    const never = () => 0.999999; // asks for a full-area, widest crop: does not fit a tall image
    const w = randomResizedCropWindow(100, 400, [1, 1], [3 / 4, 4 / 3], 3, never);
    expect(w).toEqual({ left: 0, top: 133, width: 100, height: 133 });
  });
});

describe('centerCropWindow', () => {
  it('cuts exact pixels without fraction, clamped to the image', () => {
    expect(centerCropWindow(30, 24, [16, 20], undefined)).toEqual({
      left: 5,
      top: 4,
      width: 20,
      height: 16,
    });
    expect(centerCropWindow(10, 24, [16, 20], undefined)).toEqual({
      left: 0,
      top: 4,
      width: 10,
      height: 16,
    });
  });

  it('with fraction 0.875 matches resize-shorter-to-256 then crop 224', () => {
    // 500x375: shorter side 375 -> 256 scales by 0.6827; a 224 crop is 328 source pixels.
    expect(centerCropWindow(500, 375, [224, 224], 0.875)).toEqual({
      left: 86,
      top: 23,
      width: 328,
      height: 328,
    });
  });
});
