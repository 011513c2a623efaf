import { extname, join } from 'node:path';
import { IMAGE_EXTENSIONS } from './image-check.js';
import type { IngestItem, ScanResult, SkippedFile } from './item.js';
import { listFiles } from './walk.js';

/**
 * Pairs every image under `imagesDir` with the mask under `masksDir` of the
 * same relative path minus extension (`a/0001.jpg` with `a/0001.png`). The
 * mask's bytes become the label blob. Unpaired files on either side are
 * reported.
 */
export async function scanSegmentation(imagesDir: string, masksDir: string): Promise<ScanResult> {
  const skipped: SkippedFile[] = [];
  const images = await imageFiles(imagesDir, 'images', skipped);
  const masks = await imageFiles(masksDir, 'masks', skipped);
  const items: IngestItem[] = [];
  for (const [stem, rel] of images) {
    const mask = masks.get(stem);
    if (mask === undefined) {
      skipped.push({
        path: `images/${rel}`,
        reason: `no mask named ${stem}.* in the masks folder`,
      });
      continue;
    }
    masks.delete(stem);
    items.push({
      relativePath: rel,
      absolutePath: join(imagesDir, rel),
      label: { kind: 'file', path: join(masksDir, mask) },
      originalLabel: mask,
      originalSplit: null,
    });
  }
  for (const [stem, rel] of masks) {
    skipped.push({ path: `masks/${rel}`, reason: `no image named ${stem}.* in the images folder` });
  }
  return { items, skipped };
}

/** Relative path without extension -> relative path, for image files; others reported. */
async function imageFiles(
  dir: string,
  side: string,
  skipped: SkippedFile[],
): Promise<Map<string, string>> {
  const byStem = new Map<string, string>();
  for (const rel of await listFiles(dir)) {
    const ext = extname(rel);
    if (!IMAGE_EXTENSIONS.has(ext.toLowerCase())) {
      skipped.push({ path: `${side}/${rel}`, reason: 'not a .jpg, .jpeg or .png file' });
      continue;
    }
    const stem = rel.slice(0, rel.length - ext.length);
    const other = byStem.get(stem);
    if (other !== undefined) {
      skipped.push({ path: `${side}/${rel}`, reason: `same stem as ${other}, which is used` });
      continue;
    }
    byStem.set(stem, rel);
  }
  return byStem;
}
