import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes files a few at a time: sharp encodes on its own threads meanwhile. */
export async function writeAll(
  count: number,
  make: (i: number) => Promise<{ path: string; bytes: Buffer }[]>,
  concurrency = 8,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      for (const file of await make(i)) {
        await mkdir(dirname(file.path), { recursive: true });
        await writeFile(file.path, file.bytes);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
