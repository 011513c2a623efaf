import sharp from 'sharp';
import { insideShape, type ShapeKind } from './shapes.js';

/** An RGB image and its per-pixel class mask, built pixel by pixel. */
export interface Canvas {
  readonly size: number;
  readonly rgb: Uint8Array;
  /** Class id per pixel (0 = background); written by `drawShape`. */
  readonly mask: Uint8Array;
}

export type Rgb = readonly [number, number, number];

/** A shape placed on a canvas: centre and radius in pixels. */
export interface Placement {
  kind: ShapeKind;
  cx: number;
  cy: number;
  radius: number;
  color: Rgb;
  classId: number;
}

/**
 * A dark textured background: a random diagonal gradient plus pixel noise, so
 * a model cannot separate classes by looking at a flat colour field.
 */
export function texturedCanvas(size: number, rand: () => number): Canvas {
  const rgb = new Uint8Array(size * size * 3);
  const base = [20 + rand() * 60, 20 + rand() * 60, 20 + rand() * 60];
  const slope = (rand() - 0.5) * 40;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const shade = (slope * (x + y)) / size;
      for (let c = 0; c < 3; c++) {
        rgb[(y * size + x) * 3 + c] = clamp((base[c] ?? 0) + shade + (rand() - 0.5) * 30);
      }
    }
  }
  return { size, rgb, mask: new Uint8Array(size * size) };
}

/** Fills the shape's pixels with its colour (with noise, a texture) and its class id. */
export function drawShape(canvas: Canvas, p: Placement, rand: () => number): void {
  const { size, rgb, mask } = canvas;
  const x0 = Math.max(0, Math.floor(p.cx - p.radius));
  const x1 = Math.min(size - 1, Math.ceil(p.cx + p.radius));
  const y0 = Math.max(0, Math.floor(p.cy - p.radius));
  const y1 = Math.min(size - 1, Math.ceil(p.cy + p.radius));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideShape(p.kind, (x + 0.5 - p.cx) / p.radius, (y + 0.5 - p.cy) / p.radius)) continue;
      mask[y * size + x] = p.classId;
      for (let c = 0; c < 3; c++) {
        rgb[(y * size + x) * 3 + c] = clamp((p.color[c] ?? 0) + (rand() - 0.5) * 40);
      }
    }
  }
}

/** A colour near `base`, so instances of one class differ a little. */
export function jitter(base: Rgb, rand: () => number, amount = 30): Rgb {
  return [
    clamp(base[0] + (rand() - 0.5) * amount),
    clamp(base[1] + (rand() - 0.5) * amount),
    clamp(base[2] + (rand() - 0.5) * amount),
  ];
}

export function encodeImage(canvas: Canvas, format: 'jpeg' | 'png'): Promise<Buffer> {
  const img = sharp(canvas.rgb, { raw: { width: canvas.size, height: canvas.size, channels: 3 } });
  return format === 'jpeg' ? img.jpeg({ quality: 90 }).toBuffer() : img.png().toBuffer();
}

/** The mask as an 8-bit grayscale PNG: lossless, so class ids survive exactly. */
export function encodeMask(canvas: Canvas): Promise<Buffer> {
  const { size, mask } = canvas;
  // Without b-w, sharp would write the single band as three RGB channels.
  return sharp(mask, { raw: { width: size, height: size, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
