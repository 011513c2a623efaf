import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CassdlIngestError,
  ingestClassification,
  ingestMultilabel,
  ingestSegmentation,
  sampleId,
} from '@cassdl/datasets';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { Command } from 'commander';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerIngestCommand } from '../commands/ingest.js';
import { captureIo } from './helpers/capture-io.js';
import {
  countRows,
  dropKeyspaces,
  makeClassificationDir,
  makeImage,
  removeDir,
  tempDir,
  testConnectionInput,
  testKeyspace,
  writeFileDeep,
} from './helpers/fixtures.js';

let connection: ConnectionOptionsInput;
let dir: string;
const keyspaces: string[] = [];
const keyspace = (what: string) => {
  const name = testKeyspace(what);
  keyspaces.push(name);
  return name;
};

beforeAll(async () => {
  connection = await testConnectionInput();
  dir = await tempDir();
}, 120_000);

afterAll(async () => {
  await dropKeyspaces(connection, keyspaces);
  await removeDir(dir);
}, 60_000);

describe('ingest classification', () => {
  it('resumes an interrupted ingest without duplicating rows', async () => {
    const root = join(dir, 'cls');
    const files =
      (await makeClassificationDir(root, { cat: 12, dog: 9 }, 'train')) +
      (await makeClassificationDir(root, { cat: 3, dog: 4 }, 'val'));
    const ks = keyspace('resume');
    const controller = new AbortController();
    const first = ingestClassification({
      connection,
      keyspace: ks,
      dir: root,
      concurrency: 4,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.written >= 10) controller.abort(new Error('stop for the test'));
      },
    });
    await expect(first).rejects.toThrow('stop for the test');
    const partial = await countRows(connection, ks, 'data');
    expect(partial).toBeGreaterThanOrEqual(10);
    expect(partial).toBeLessThan(files);

    const second = await ingestClassification({ connection, keyspace: ks, dir: root });
    expect(second.alreadyPresent).toBe(partial);
    expect(second.written).toBe(files - partial);
    expect(second.rowCount).toBe(files);
    expect(second.classNames).toEqual(['cat', 'dog']);
    expect(await countRows(connection, ks, 'data')).toBe(files);
    expect(await countRows(connection, ks, 'metadata')).toBe(files);

    const third = await ingestClassification({
      connection,
      keyspace: ks,
      dir: root,
      overwrite: true,
    });
    expect(third.written).toBe(files);
    expect(await countRows(connection, ks, 'data')).toBe(files);
    expect(third.manifest.classNames).toEqual(['cat', 'dog']);
    expect(third.manifest.rowCount).toBe(files);
  }, 120_000);

  it('skips and reports a corrupt file, and --strict stops at it', async () => {
    const root = join(dir, 'corrupt');
    await makeClassificationDir(root, { a: 3, b: 2 });
    await writeFileDeep(join(root, 'b', 'broken.jpg'), 'this is not a jpeg');
    await writeFileDeep(join(root, 'a', 'notes.txt'), 'hello');
    const ks = keyspace('corrupt');
    const summary = await ingestClassification({ connection, keyspace: ks, dir: root });
    expect(summary.written).toBe(5);
    expect(summary.skipped).toEqual([
      { path: 'a/notes.txt', reason: 'not a .jpg, .jpeg or .png file' },
      { path: 'b/broken.jpg', reason: expect.stringContaining('not a JPEG or PNG') },
    ]);
    expect(await countRows(connection, ks, 'data')).toBe(5);

    const strictRoot = join(dir, 'corrupt-strict');
    await makeClassificationDir(strictRoot, { a: 2 });
    await writeFileDeep(
      join(strictRoot, 'a', 'zz.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]),
    );
    const strict = ingestClassification({
      connection,
      keyspace: keyspace('strict'),
      dir: strictRoot,
      strict: true,
    });
    await expect(strict).rejects.toBeInstanceOf(CassdlIngestError);
    await expect(strict).rejects.toThrow(/a\/zz\.png: unreadable png/);
  }, 120_000);

  it('stores labels as class indices in sorted class-name order', async () => {
    const root = join(dir, 'labels');
    await makeClassificationDir(root, { zebra: 1, ant: 1 });
    const ks = keyspace('labels');
    await ingestClassification({ connection, keyspace: ks, dir: root });
    const { default: cassandra } = await import('cassandra-driver');
    const client = new cassandra.Client({
      contactPoints: connection.contactPoints ?? [],
      localDataCenter: 'datacenter1',
      protocolOptions: { port: connection.port ?? 9042 },
    });
    try {
      const rs = await client.execute(
        `SELECT label, original_label, filename FROM "${ks}".metadata WHERE id = ?`,
        [sampleId('zebra/0.jpg')],
        { prepare: true },
      );
      expect(rs.first()?.get('label')).toBe(1);
      expect(rs.first()?.get('original_label')).toBe('zebra');
      expect(rs.first()?.get('filename')).toBe('zebra/0.jpg');
    } finally {
      await client.shutdown();
    }
  }, 60_000);
});

describe('ingest segmentation', () => {
  it('pairs images with masks by stem, reports the unpaired, and resumes', async () => {
    const images = join(dir, 'seg', 'images');
    const masks = join(dir, 'seg', 'masks');
    for (let i = 0; i < 6; i++) {
      await writeFileDeep(join(images, `${i}.jpg`), await makeImage(i));
      if (i < 5) await writeFileDeep(join(masks, `${i}.png`), await makeImage(100 + i, 'png'));
    }
    await writeFileDeep(join(masks, 'orphan.png'), await makeImage(7, 'png'));
    const ks = keyspace('seg');
    const controller = new AbortController();
    await expect(
      ingestSegmentation({
        connection,
        keyspace: ks,
        imagesDir: images,
        masksDir: masks,
        concurrency: 1,
        signal: controller.signal,
        onProgress: (e) => e.written >= 2 && controller.abort(),
      }),
    ).rejects.toThrow();
    const summary = await ingestSegmentation({
      connection,
      keyspace: ks,
      imagesDir: images,
      masksDir: masks,
    });
    expect(summary.rowCount).toBe(5);
    expect(summary.alreadyPresent).toBeGreaterThanOrEqual(2);
    expect(summary.skipped.map((s) => s.path)).toEqual(['images/5.jpg', 'masks/orphan.png']);
    expect(await countRows(connection, ks, 'data')).toBe(5);
  }, 120_000);
});

describe('ingest multilabel', () => {
  it('writes multi-hot .npy labels and the vocabulary beside the CSV', async () => {
    const root = join(dir, 'ml');
    for (let i = 0; i < 4; i++) await writeFileDeep(join(root, `img${i}.jpg`), await makeImage(i));
    const csv = join(dir, 'ml-labels.csv');
    await writeFileDeep(
      csv,
      'file,tags\nimg0.jpg,sky|sea\nimg1.jpg,tree\nimg2.jpg,\nimg3.jpg,sea|tree\nmissing.jpg,sky\n',
    );
    const ks = keyspace('ml');
    const summary = await ingestMultilabel({ connection, keyspace: ks, dir: root, labels: csv });
    expect(summary.vocabulary).toEqual(['sea', 'sky', 'tree']);
    expect(summary.rowCount).toBe(4);
    expect(summary.skipped).toEqual([
      { path: 'missing.jpg', reason: 'listed on CSV line 6 but no such image' },
    ]);
    expect(JSON.parse(await readFile(summary.vocabularyFile ?? '', 'utf8'))).toEqual([
      'sea',
      'sky',
      'tree',
    ]);
    const { default: cassandra } = await import('cassandra-driver');
    const client = new cassandra.Client({
      contactPoints: connection.contactPoints ?? [],
      localDataCenter: 'datacenter1',
      protocolOptions: { port: connection.port ?? 9042 },
    });
    try {
      const rs = await client.execute(
        `SELECT label FROM "${ks}".data WHERE id = ?`,
        [sampleId('img0.jpg')],
        {
          prepare: true,
        },
      );
      const npy = rs.first()?.get('label') as Buffer;
      expect(npy.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
      expect(npy.toString('latin1')).toContain("'descr': '|u1'");
      expect(npy.length % 64).toBe(3); // 64-byte aligned header, then 3 one-byte tags
      expect([...npy.subarray(npy.length - 3)]).toEqual([1, 1, 0]);
    } finally {
      await client.shutdown();
    }
  }, 120_000);
});

describe('cassdl ingest (command line)', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  const run = async (args: string[]) => {
    const c = captureIo({
      CASSDL_CONTACT_POINTS: (connection.contactPoints ?? []).join(','),
      CASSDL_PORT: String(connection.port ?? 9042),
    });
    const program = new Command();
    registerIngestCommand(program, c.io);
    await program.parseAsync(args, { from: 'user' });
    return c;
  };

  it('prints a summary with the class list and progress lines, or JSON', async () => {
    const root = join(dir, 'cli-cls');
    await makeClassificationDir(root, { bird: 2, fish: 3 });
    const ks = keyspace('cli');
    const text = await run([
      'ingest',
      'classification',
      root,
      '--keyspace',
      ks,
      '--concurrency',
      '2',
    ]);
    expect(text.stdout()).toContain(`classification: 5 samples in ${ks}.data`);
    expect(text.stdout()).toContain('classes (label: name): 0: bird, 1: fish');
    expect(text.stderr()).toMatch(/^ingest: \d+\/5 /m);
    const json = await run(['ingest', 'classification', root, '--keyspace', ks, '--json']);
    expect(JSON.parse(json.stdout())).toMatchObject({ rowCount: 5, written: 0, alreadyPresent: 5 });
    expect(process.exitCode).toBeUndefined();
  }, 60_000);

  it('--resize 256 --format jpeg stores JPEGs that decode at the requested size, under the plugin column names', async () => {
    const root = join(dir, 'resize');
    // 400x300 PNG sources: the shorter side becomes 256, the aspect ratio is kept.
    for (const [cls, i] of [
      ['cat', 0],
      ['cat', 1],
      ['dog', 2],
    ] as const) {
      const png = await sharp({
        create: { width: 400, height: 300, channels: 3, background: { r: i * 90, g: 40, b: 200 } },
      })
        .png()
        .toBuffer();
      await writeFileDeep(join(root, 'train', cls, `${i}.png`), png);
    }
    const ks = keyspace('resize');
    const c = await run([
      'ingest',
      'classification',
      root,
      '--keyspace',
      ks,
      '--resize',
      '256',
      '--format',
      'jpeg',
      '--quality',
      '80',
      '--original-label-col',
      'or_label',
      '--original-split-col',
      'or_split',
    ]);
    expect(process.exitCode ?? 0).toBe(0);
    expect(c.stdout()).toContain('3 written');
    const client = new cassandra.Client({
      contactPoints: connection.contactPoints ?? [],
      localDataCenter: connection.localDataCenter ?? 'datacenter1',
      protocolOptions: { port: connection.port ?? 9042 },
    });
    try {
      const rows = (await client.execute(`SELECT data FROM "${ks}".data`)).rows;
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        const { info } = await sharp(row.get('data') as Buffer)
          .raw()
          .toBuffer({ resolveWithObject: true });
        expect((await sharp(row.get('data') as Buffer).metadata()).format).toBe('jpeg');
        expect([info.width, info.height]).toEqual([341, 256]);
      }
      const meta = (await client.execute(`SELECT or_label, or_split FROM "${ks}".metadata`)).rows;
      expect(meta.map((r) => `${r.get('or_split')}/${r.get('or_label')}`).sort()).toEqual([
        'train/cat',
        'train/cat',
        'train/dog',
      ]);
    } finally {
      await client.shutdown();
    }
  }, 120_000);

  it('exits 1 with one line naming the bad file under --strict', async () => {
    const root = join(dir, 'cli-strict');
    await makeClassificationDir(root, { a: 1 });
    await writeFileDeep(join(root, 'a', 'bad.jpg'), 'nope');
    const c = await run([
      'ingest',
      'classification',
      root,
      '--keyspace',
      keyspace('clistrict'),
      '--strict',
    ]);
    expect(c.stderr().trim().split('\n').at(-1)).toMatch(
      /^cassdl ingest classification: a\/bad\.jpg: not a JPEG or PNG \(starts with 6e 6f 70 65\) \(--strict stops at the first bad file\)$/,
    );
    expect(process.exitCode).toBe(1);
  }, 60_000);

  it('rejects bad options before connecting, naming the option', async () => {
    const c = await run([
      'ingest',
      'classification',
      dir,
      '--keyspace',
      'bad-name!',
      '--contact-points',
      '127.0.0.1',
    ]);
    expect(c.stderr()).toContain(
      'ingest.keyspace: expected name of 1-48 letters, digits or underscores',
    );
    expect(process.exitCode).toBe(1);
  });
});
