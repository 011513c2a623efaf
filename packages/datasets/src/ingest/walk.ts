import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Every file under `root`, as paths relative to it with `/` separators,
 * sorted (code-unit order, so ids and class indices do not depend on the
 * machine's locale or the file system's listing order). Dot files and dot
 * folders (`.DS_Store`, `.git`) are left out.
 */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const rel = relative(root, join(entry.parentPath, entry.name));
    const parts = rel.split(sep);
    if (parts.some((p) => p.startsWith('.'))) continue;
    files.push(parts.join('/'));
  }
  return files.sort();
}

/** Immediate subfolders of `dir`, sorted, dot folders left out. */
export async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}
