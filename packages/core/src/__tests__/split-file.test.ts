import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CassdlValidationError, SPLIT_FILE_VERSION } from '@cassdl/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSplitFile } from '../reader/split-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cassdl-split-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readSplitFile', () => {
  it('reads a split file and checks it', async () => {
    const path = join(dir, 'ok.json');
    const id = '00000000-0000-4000-8000-000000000001';
    await writeFile(
      path,
      JSON.stringify({
        version: SPLIT_FILE_VERSION,
        keyspace: 'ks',
        dataTable: 'data',
        metadataTable: 'metadata',
        labelType: 'int',
        splits: { train: [id] },
      }),
    );
    expect((await readSplitFile(path)).splits.train).toEqual([id]);
  });

  it('names the option that pointed at a missing file', async () => {
    const error = await readSplitFile(join(dir, 'missing.json'), 'split show FILE').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CassdlValidationError);
    expect((error as Error).message).toContain('split show FILE: expected a readable split file');
  });
});
