import { basename, extname, join } from 'node:path';
import { IMAGE_EXTENSIONS } from './image-check.js';
import type { IngestItem, ScanResult, SkippedFile } from './item.js';
import { readLabelsCsv } from './labels-csv.js';
import { encodeNpyVector, multiHot, type NpyDtype } from './npy.js';
import { listFiles } from './walk.js';

/**
 * Images under `root` labelled by the CSV: a CSV file name matches an image's
 * relative path, or its base name when that is unique. The vocabulary is
 * every tag, sorted; each label is a multi-hot `.npy` vector over it.
 * Images without a CSV row and CSV rows without an image are reported.
 */
export async function scanMultilabel(
  root: string,
  csvPath: string,
  dtype: NpyDtype,
): Promise<ScanResult> {
  const rows = await readLabelsCsv(csvPath);
  const skipped: SkippedFile[] = [];
  const images: string[] = [];
  for (const rel of await listFiles(root)) {
    if (IMAGE_EXTENSIONS.has(extname(rel).toLowerCase())) images.push(rel);
    else if (rel !== basename(csvPath))
      skipped.push({ path: rel, reason: 'not a .jpg, .jpeg or .png file' });
  }
  const byPath = new Set(images);
  const byBase = new Map<string, string | null>();
  for (const rel of images) byBase.set(basename(rel), byBase.has(basename(rel)) ? null : rel);

  const labelled = new Map<string, string[]>();
  for (const row of rows) {
    const rel = byPath.has(row.file) ? row.file : byBase.get(row.file);
    if (rel === undefined)
      skipped.push({ path: row.file, reason: `listed on CSV line ${row.line} but no such image` });
    else if (rel === null)
      skipped.push({
        path: row.file,
        reason: `CSV line ${row.line} names several images; give the relative path`,
      });
    else labelled.set(rel, row.tags);
  }
  const vocabulary = [...new Set([...labelled.values()].flat())].sort();
  const index = new Map(vocabulary.map((tag, i) => [tag, i]));
  const items: IngestItem[] = [];
  for (const rel of images) {
    const tags = labelled.get(rel);
    if (tags === undefined) {
      skipped.push({ path: rel, reason: 'no row in the labels CSV' });
      continue;
    }
    items.push({
      relativePath: rel,
      absolutePath: join(root, rel),
      label: {
        kind: 'bytes',
        bytes: encodeNpyVector(multiHot(tags, index, vocabulary.length), dtype),
      },
      originalLabel: tags.join('|'),
      originalSplit: null,
    });
  }
  return { items, skipped, vocabulary };
}
