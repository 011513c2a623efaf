import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import { withClient } from '@cassdl/test-utils';
import sharp from 'sharp';

export { testConnectionInput } from '@cassdl/test-utils';

/** A keyspace name unique to this run: `cassdl_cli_test_<what>_<random>`. */
export function testKeyspace(what: string): string {
  return `cassdl_cli_test_${what}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Drops test keyspaces; call in afterAll. */
export async function dropKeyspaces(
  connection: ConnectionOptionsInput,
  names: readonly string[],
): Promise<void> {
  await withClient(connection, async (client) => {
    for (const name of names) await client.execute(`DROP KEYSPACE IF EXISTS "${name}"`);
  });
}

/** Counts rows of a table with a paged scan (fine for test sizes). */
export async function countRows(
  connection: ConnectionOptionsInput,
  keyspace: string,
  table: string,
): Promise<number> {
  return withClient(connection, async (client) => {
    const rs = await client.execute(`SELECT count(*) FROM "${keyspace}"."${table}"`);
    return Number(rs.first()?.get(0));
  });
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cassdl-cli-test-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A small distinct image (colour from `seed`) as JPEG or PNG bytes. */
export async function makeImage(
  seed: number,
  format: 'jpeg' | 'png' = 'jpeg',
  size = 8,
): Promise<Buffer> {
  const image = sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: (seed * 53) % 256 },
    },
  });
  return format === 'jpeg' ? image.jpeg().toBuffer() : image.png().toBuffer();
}

export async function writeFileDeep(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** `DIR/CLASS/i.jpg` for each class, `perClass[i]` images each. Returns the file count. */
export async function makeClassificationDir(
  root: string,
  classes: Record<string, number>,
  prefix = '',
): Promise<number> {
  let n = 0;
  for (const [name, count] of Object.entries(classes)) {
    for (let i = 0; i < count; i++) {
      await writeFileDeep(join(root, prefix, name, `${i}.jpg`), await makeImage(n++));
    }
  }
  return n;
}
