import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { drawShape, encodeImage, jitter, texturedCanvas } from './canvas.js';
import { PALETTE } from './palette.js';
import { seededRandom } from './rng.js';
import { SHAPE_KINDS } from './shapes.js';
import { writeAll } from './write-files.js';

export interface MultilabelDataOptions {
  images: number;
  size: number;
  /** 2..9 tags; tag k is shape k in colour k. */
  tags: number;
  /** Chance that each tag appears in an image (at least one always does). */
  presence: number;
  seed: number;
}

/** Tag names; `cassdl ingest multilabel` orders its vocabulary by name, as here. */
export function tagNames(tags: number): string[] {
  return Array.from({ length: tags }, (_, k) => `${PALETTE[k]?.name}_${SHAPE_KINDS[k]}`).sort();
}

/**
 * Writes `DIR/images/<i>.jpg` with several shapes each (each in its own cell
 * of a 3x3 grid, so they never hide one another) and `DIR/labels.csv` with
 * `file,tag1|tag2`, the layout `cassdl ingest multilabel` reads (Corel-5k's).
 */
export async function generateMultilabel(
  dir: string,
  o: MultilabelDataOptions,
): Promise<{ imagesDir: string; labelsCsv: string; tags: string[] }> {
  if (o.tags < 2 || o.tags > 9) throw new RangeError(`tags: expected 2..9, received ${o.tags}`);
  const imagesDir = join(dir, 'images');
  const rows: string[] = new Array(o.images);
  await writeAll(o.images, async (i) => {
    const rand = seededRandom(o.seed * 100_003 + i);
    const present = pickTags(o.tags, o.presence, rand);
    const cells = shuffled([0, 1, 2, 3, 4, 5, 6, 7, 8], rand);
    const canvas = texturedCanvas(o.size, rand);
    const cell = o.size / 3;
    present.forEach((k, n) => {
      const c = cells[n] ?? 0;
      drawShape(
        canvas,
        {
          kind: SHAPE_KINDS[k] ?? 'circle',
          cx: ((c % 3) + 0.5) * cell,
          cy: (Math.floor(c / 3) + 0.5) * cell,
          radius: cell * (0.38 + rand() * 0.1),
          color: jitter(PALETTE[k]?.rgb ?? [255, 255, 255], rand),
          classId: k + 1,
        },
        rand,
      );
    });
    const name = `${String(i).padStart(5, '0')}.jpg`;
    rows[i] = `${name},${present.map((k) => `${PALETTE[k]?.name}_${SHAPE_KINDS[k]}`).join('|')}`;
    return [{ path: join(imagesDir, name), bytes: await encodeImage(canvas, 'jpeg') }];
  });
  const labelsCsv = join(dir, 'labels.csv');
  await writeFile(labelsCsv, `file,tags\n${rows.join('\n')}\n`);
  return { imagesDir, labelsCsv, tags: tagNames(o.tags) };
}

function pickTags(tags: number, presence: number, rand: () => number): number[] {
  const picked = Array.from({ length: tags }, (_, k) => k).filter(() => rand() < presence);
  return picked.length > 0 ? picked : [Math.floor(rand() * tags)];
}

function shuffled<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
