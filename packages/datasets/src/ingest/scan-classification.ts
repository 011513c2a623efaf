import { extname, join } from 'node:path';
import { IMAGE_EXTENSIONS } from './image-check.js';
import type { IngestItem, ScanResult, SkippedFile } from './item.js';
import { listDirs, listFiles } from './walk.js';

/** Folder names that mark a split level above the class folders (`DIR/train/CLASS/...`). */
export const SPLIT_FOLDER_NAMES = new Set(['train', 'val', 'valid', 'validation', 'test']);

/**
 * Reads `DIR/CLASS/**` or `DIR/{train,val,...}/CLASS/**`. Labels are class
 * indices in sorted class-name order over every split (so `val` and `train`
 * agree); the split folder is kept as `original_split`. Files without an
 * image extension are reported, not written.
 */
export async function scanClassification(root: string): Promise<ScanResult> {
  const top = await listDirs(root);
  const hasSplits = top.length > 0 && top.every((d) => SPLIT_FOLDER_NAMES.has(d));
  const groups: { split: string | null; prefix: string }[] = hasSplits
    ? top.map((split) => ({ split, prefix: `${split}/` }))
    : [{ split: null, prefix: '' }];
  const files = await listFiles(root);
  const skipped: SkippedFile[] = [];
  const found: { rel: string; className: string; split: string | null }[] = [];
  for (const rel of files) {
    const group = groups.find((g) => rel.startsWith(g.prefix));
    const parts = rel.slice(group?.prefix.length ?? 0).split('/');
    if (group === undefined || parts.length < 2) {
      skipped.push({ path: rel, reason: 'not inside a class folder' });
    } else if (!IMAGE_EXTENSIONS.has(extname(rel).toLowerCase())) {
      skipped.push({ path: rel, reason: 'not a .jpg, .jpeg or .png file' });
    } else {
      found.push({ rel, className: parts[0] ?? '', split: group.split });
    }
  }
  const classNames = [...new Set(found.map((f) => f.className))].sort();
  const index = new Map(classNames.map((name, i) => [name, i]));
  const items: IngestItem[] = found.map((f) => ({
    relativePath: f.rel,
    absolutePath: join(root, f.rel),
    label: { kind: 'int', value: index.get(f.className) ?? -1 },
    originalLabel: f.className,
    originalSplit: f.split,
  }));
  return { items, skipped, classNames };
}
