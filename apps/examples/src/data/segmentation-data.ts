import { join } from 'node:path';
import { drawShape, encodeImage, encodeMask, jitter, texturedCanvas } from './canvas.js';
import { PALETTE } from './palette.js';
import { randInt, seededRandom } from './rng.js';
import type { ShapeKind } from './shapes.js';
import { writeAll } from './write-files.js';

/** Mask class ids: 0 is background, then one id per shape kind. */
export const SEGMENTATION_CLASSES: readonly { id: number; kind: ShapeKind | null }[] = [
  { id: 0, kind: null },
  { id: 1, kind: 'circle' },
  { id: 2, kind: 'square' },
  { id: 3, kind: 'triangle' },
];

export interface SegmentationDataOptions {
  images: number;
  size: number;
  /** Shapes per image: 1..maxShapes. */
  maxShapes: number;
  seed: number;
}

/**
 * Writes `DIR/images/<i>.png` and `DIR/masks/<i>.png` (8-bit gray, pixel =
 * class id), the pair layout `cassdl ingest segmentation` reads (ADE20k's).
 * Later shapes overwrite earlier ones, in the image and in the mask alike.
 */
export async function generateSegmentation(
  dir: string,
  o: SegmentationDataOptions,
): Promise<{ imagesDir: string; masksDir: string; classes: number }> {
  const imagesDir = join(dir, 'images');
  const masksDir = join(dir, 'masks');
  await writeAll(o.images, async (i) => {
    const rand = seededRandom(o.seed * 100_003 + i);
    const canvas = texturedCanvas(o.size, rand);
    const shapes = randInt(rand, 1, o.maxShapes);
    for (let s = 0; s < shapes; s++) {
      const cls = SEGMENTATION_CLASSES[randInt(rand, 1, SEGMENTATION_CLASSES.length - 1)];
      const radius = randInt(rand, Math.ceil(o.size * 0.15), Math.floor(o.size * 0.3));
      drawShape(
        canvas,
        {
          kind: cls?.kind ?? 'circle',
          cx: randInt(rand, radius, o.size - radius),
          cy: randInt(rand, radius, o.size - radius),
          radius,
          color: jitter(PALETTE[cls?.id ?? 0]?.rgb ?? [255, 255, 255], rand, 60),
          classId: cls?.id ?? 0,
        },
        rand,
      );
    }
    const name = `${String(i).padStart(5, '0')}.png`;
    return [
      { path: join(imagesDir, name), bytes: await encodeImage(canvas, 'png') },
      { path: join(masksDir, name), bytes: await encodeMask(canvas) },
    ];
  });
  return { imagesDir, masksDir, classes: SEGMENTATION_CLASSES.length };
}
