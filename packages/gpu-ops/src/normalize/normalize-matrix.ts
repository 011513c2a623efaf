import type { NormalizeSpec } from './channel-lut.js';

/**
 * The 4x4 colour matrix that makes libvips normalize an RGB image while it
 * still holds it: the image gets a fourth band of constant 255 joined to it,
 * and row c maps (R, G, B, 255) to `scale * (v_c - mean_c) / std_c + shift`,
 * the constant band carrying the offset. Row 4 is zero, the padding channel.
 * The result leaves the threadpool as float32, so the JS thread only copies.
 */
export function normalizeMatrix(spec: NormalizeSpec): number[][] {
  const rows: number[][] = [];
  for (let c = 0; c < 3; c++) {
    const mean = spec.mean.length === 1 ? spec.mean[0]! : spec.mean[c]!;
    const std = spec.std.length === 1 ? spec.std[0]! : spec.std[c]!;
    const row = [0, 0, 0, 0];
    row[c] = spec.scale / std;
    row[3] = (spec.shift - (spec.scale * mean) / std) / 255;
    rows.push(row);
  }
  rows.push([0, 0, 0, 0]);
  return rows;
}
