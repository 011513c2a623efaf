import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { classNames, generateClassification } from '../data/classification-data.js';
import { generateMultilabel, tagNames } from '../data/multilabel-data.js';
import { seededRandom } from '../data/rng.js';
import { generateSegmentation, SEGMENTATION_CLASSES } from '../data/segmentation-data.js';
import { insideShape, SHAPE_KINDS } from '../data/shapes.js';
import { tempDir } from './helpers.js';

describe('shapes', () => {
  it('every shape covers its centre region or rim and nothing outside its box', () => {
    for (const kind of SHAPE_KINDS) {
      let inside = 0;
      for (let y = -1.5; y <= 1.5; y += 0.05) {
        for (let x = -1.5; x <= 1.5; x += 0.05) {
          if (insideShape(kind, x, y)) {
            inside++;
            expect(Math.abs(x) <= 1 && Math.abs(y) <= 1, `${kind} at ${x},${y}`).toBe(true);
          }
        }
      }
      expect(inside, kind).toBeGreaterThan(100);
    }
  });

  it('the seeded generator repeats its sequence', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('classification data', () => {
  it('writes one folder per class in label order, with decodable JPEGs of the size asked', async () => {
    const dir = await tempDir('gen-cls');
    const out = await generateClassification(dir, {
      classes: 3,
      imagesPerClass: 2,
      size: 20,
      seed: 1,
    });
    expect(out.classNames).toEqual(classNames(3));
    expect((await readdir(dir)).sort()).toEqual(out.classNames);
    const first = join(dir, out.classNames[0] ?? '', '00000.jpg');
    const meta = await sharp(first).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 20, 20]);
    const again = await tempDir('gen-cls2');
    await generateClassification(again, { classes: 3, imagesPerClass: 2, size: 20, seed: 1 });
    expect(await readFile(join(again, out.classNames[0] ?? '', '00000.jpg'))).toEqual(
      await readFile(first),
    );
  });

  it('refuses more classes than it has colours', async () => {
    await expect(
      generateClassification('/nonexistent', { classes: 11, imagesPerClass: 1, size: 8, seed: 0 }),
    ).rejects.toThrow(/classes: expected 2..10/);
  });
});

describe('segmentation data', () => {
  it('pairs each image with a gray PNG mask whose pixels are exact class ids', async () => {
    const dir = await tempDir('gen-seg');
    const out = await generateSegmentation(dir, { images: 4, size: 24, maxShapes: 3, seed: 2 });
    expect(await readdir(out.imagesDir)).toEqual(await readdir(out.masksDir));
    const mask = join(out.masksDir, '00000.png');
    const meta = await sharp(mask).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 24, 24, 1]);
    const data = await sharp(mask).extractChannel(0).raw().toBuffer();
    expect(data.length).toBe(24 * 24);
    const ids = new Set(data);
    expect([...ids].every((v) => v < SEGMENTATION_CLASSES.length)).toBe(true);
    expect(ids.has(0)).toBe(true);
    expect(ids.size).toBeGreaterThan(1);
  });
});

describe('multilabel data', () => {
  it('writes labels.csv whose tags are the sorted vocabulary', async () => {
    const dir = await tempDir('gen-ml');
    const out = await generateMultilabel(dir, {
      images: 12,
      size: 24,
      tags: 4,
      presence: 0.4,
      seed: 3,
    });
    expect(out.tags).toEqual(tagNames(4));
    const lines = (await readFile(out.labelsCsv, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('file,tags');
    expect(lines).toHaveLength(13);
    for (const line of lines.slice(1)) {
      const [file, tags = ''] = line.split(',');
      expect(file).toMatch(/^\d{5}\.jpg$/);
      const list = tags.split('|');
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((t) => out.tags.includes(t))).toBe(true);
    }
  });
});
