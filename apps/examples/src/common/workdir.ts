import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder for the generated dataset and split file (default: under the OS temp dir). */
export async function freshWorkDir(given: string | undefined, keyspace: string): Promise<string> {
  const dir = given ?? join(tmpdir(), 'cassdl-examples', keyspace);
  await rm(join(dir, 'dataset'), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
