import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readUuidFile } from '@cassdl/datasets';
import { formatUuid, parseSplitFile } from '@cassdl/schema';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerSplitCommand } from '../commands/split.js';
import { registerUuidsCommand } from '../commands/uuids.js';
import { captureIo } from './helpers/capture-io.js';
import { removeDir, tempDir } from './helpers/fixtures.js';

// Pickles written by cassandra-dali-plugin's own code (see make_fixtures.py there).
const FIXTURES = fileURLToPath(new URL('../../../datasets/fixtures/dali/', import.meta.url));
const dataset = JSON.parse(await readFile(join(FIXTURES, 'dataset.json'), 'utf8')) as {
  splits: { train: string[]; val: string[] };
  rows: string[];
};

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await removeDir(dir);
});
afterEach(() => {
  process.exitCode = undefined;
});

async function run(
  register: (p: Command, io: ReturnType<typeof captureIo>['io']) => void,
  args: string[],
) {
  const c = captureIo();
  const program = new Command().exitOverride();
  register(program, c.io);
  await program.parseAsync(args, { from: 'user' });
  return c;
}

describe('cassdl split import / uuids import', () => {
  it('converts the plugin split pickle, keeping its assignment, with the names given', async () => {
    const output = join(dir, 'split.json');
    const c = await run(registerSplitCommand, [
      'split',
      'import',
      join(FIXTURES, 'split.p5.pckl'),
      '-o',
      output,
      '--names',
      'fit,holdout',
    ]);
    expect(c.stdout()).toContain(`wrote ${output}`);
    const file = parseSplitFile(await readFile(output, 'utf8'));
    expect(file.splits).toEqual({ fit: dataset.splits.train, holdout: dataset.splits.val });
  });

  it('converts the plugin id list to an id file the reader takes', async () => {
    const output = join(dir, 'train.ids');
    const c = await run(registerUuidsCommand, [
      'uuids',
      'import',
      join(FIXTURES, 'train.rows.pckl'),
      '-o',
      output,
    ]);
    expect(c.stdout()).toBe(`wrote ${dataset.rows.length} ids to ${output}\n`);
    const packed = await readUuidFile(output);
    expect(
      Array.from({ length: packed.length / 16 }, (_, i) => formatUuid(packed, i * 16)),
    ).toEqual(dataset.rows);
  });

  it('fails in one line naming the forbidden function of a code-running pickle', async () => {
    const c = await run(registerSplitCommand, [
      'split',
      'import',
      join(FIXTURES, 'evil.pckl'),
      '-o',
      join(dir, 'evil.json'),
    ]);
    expect(process.exitCode).toBe(1);
    expect(c.stderr()).toMatch(/cassdl split import: .*evil\.pckl: the pickle needs posix\.system/);
  });
});
