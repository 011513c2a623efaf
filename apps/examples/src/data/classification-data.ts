import { join } from 'node:path';
import { drawShape, encodeImage, jitter, texturedCanvas } from './canvas.js';
import { PALETTE } from './palette.js';
import { randInt, seededRandom } from './rng.js';
import { SHAPE_KINDS } from './shapes.js';
import { writeAll } from './write-files.js';

export interface ClassificationDataOptions {
  /** 2..10 classes; class k is shape k in colour k. */
  classes: number;
  imagesPerClass: number;
  /** Side of the square images in pixels. */
  size: number;
  seed: number;
}

/** Folder names in label order (ingest sorts class folders by name, hence the index prefix). */
export function classNames(classes: number): string[] {
  return Array.from({ length: classes }, (_, k) => {
    return `${String(k).padStart(2, '0')}_${PALETTE[k]?.name}_${SHAPE_KINDS[k]}`;
  });
}

/**
 * Writes `DIR/<class>/<i>.jpg`, the layout `cassdl ingest classification`
 * reads (Imagenette's). Each image is one shape of its class, at a random
 * position and size on a textured background.
 */
export async function generateClassification(
  dir: string,
  o: ClassificationDataOptions,
): Promise<{ classNames: string[]; files: number }> {
  if (o.classes < 2 || o.classes > PALETTE.length) {
    throw new RangeError(`classes: expected 2..${PALETTE.length}, received ${o.classes}`);
  }
  const names = classNames(o.classes);
  const total = o.classes * o.imagesPerClass;
  await writeAll(total, async (i) => {
    const k = i % o.classes;
    const rand = seededRandom(o.seed * 100_003 + i);
    const canvas = texturedCanvas(o.size, rand);
    const radius = randInt(rand, Math.ceil(o.size * 0.22), Math.floor(o.size * 0.4));
    drawShape(
      canvas,
      {
        kind: SHAPE_KINDS[k] ?? 'circle',
        cx: randInt(rand, radius, o.size - radius),
        cy: randInt(rand, radius, o.size - radius),
        radius,
        color: jitter(PALETTE[k]?.rgb ?? [255, 255, 255], rand),
        classId: k + 1,
      },
      rand,
    );
    const name = String(Math.floor(i / o.classes)).padStart(5, '0');
    return [
      { path: join(dir, names[k] ?? '', `${name}.jpg`), bytes: await encodeImage(canvas, 'jpeg') },
    ];
  });
  return { classNames: names, files: total };
}
