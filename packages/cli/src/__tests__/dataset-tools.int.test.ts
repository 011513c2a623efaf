import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSplit,
  exportUuids,
  ingestClassification,
  inspectTable,
  readUuidFile,
} from '@cassdl/datasets';
import { type ConnectionOptionsInput, formatUuid, parseSplitFile } from '@cassdl/schema';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerInspectCommand } from '../commands/inspect.js';
import { registerSplitCommand } from '../commands/split.js';
import { registerUuidsCommand } from '../commands/uuids.js';
import { captureIo } from './helpers/capture-io.js';
import {
  dropKeyspaces,
  makeClassificationDir,
  removeDir,
  tempDir,
  testConnectionInput,
  testKeyspace,
} from './helpers/fixtures.js';

// One classification dataset (three classes of 10, 23 and 7 images, in
// train/val folders) that split, uuids and inspect are run against.
const CLASSES = { a: 10, b: 23, c: 7 };
const TOTAL = 40;
let connection: ConnectionOptionsInput;
let dir: string;
let ks: string;
let env: Record<string, string>;

beforeAll(async () => {
  connection = await testConnectionInput();
  dir = await tempDir();
  ks = testKeyspace('tools');
  await makeClassificationDir(join(dir, 'ds'), { a: 8, b: 18, c: 5 }, 'train');
  await makeClassificationDir(join(dir, 'ds'), { a: 2, b: 5, c: 2 }, 'val');
  await ingestClassification({ connection, keyspace: ks, dir: join(dir, 'ds') });
  env = {
    CASSDL_CONTACT_POINTS: (connection.contactPoints ?? []).join(','),
    CASSDL_PORT: String(connection.port ?? 9042),
  };
}, 120_000);

afterAll(async () => {
  await dropKeyspaces(connection, [ks]);
  await removeDir(dir);
}, 60_000);

afterEach(() => {
  process.exitCode = undefined;
});

describe('split create', () => {
  it('splits every class in the ratios, within one row, deterministically', async () => {
    const ratios = { train: 0.7, val: 0.2, test: 0.1 };
    const file = await createSplit({ connection, keyspace: ks, ratios, stratify: true, seed: 7 });
    const all = Object.values(file.splits).flat();
    expect(new Set(all).size).toBe(TOTAL);
    for (const [label, n] of Object.values(CLASSES).entries()) {
      for (const [split, ratio] of Object.entries(ratios)) {
        const count = file.classCounts?.[split]?.[String(label)] ?? 0;
        expect(Math.abs(count - n * ratio)).toBeLessThanOrEqual(1);
      }
    }
    expect(file.createdWith).toMatchObject({ seed: 7, ratios, stratify: true });
    const again = await createSplit({ connection, keyspace: ks, ratios, stratify: true, seed: 7 });
    expect(again.splits).toEqual(file.splits);
    const otherSeed = await createSplit({
      connection,
      keyspace: ks,
      ratios,
      stratify: true,
      seed: 8,
    });
    expect(otherSeed.splits).not.toEqual(file.splits);
  }, 60_000);

  it('rejects ratios that do not sum to 1, naming the sum', async () => {
    await expect(
      createSplit({ connection, keyspace: ks, ratios: 'train=0.7,val=0.2' }),
    ).rejects.toThrow('ratios must sum to 1, these sum to 0.9');
  });

  it('writes a split file from the command line and shows its counts', async () => {
    const output = join(dir, 'split.json');
    const create = captureIo(env);
    const program = new Command();
    registerSplitCommand(program, create.io);
    await program.parseAsync(
      [
        'split',
        'create',
        '--keyspace',
        ks,
        '--ratios',
        'train=0.5,val=0.5',
        '--stratify',
        '-o',
        output,
      ],
      { from: 'user' },
    );
    expect(create.stderr()).toBe('');
    const file = parseSplitFile(await readFile(output, 'utf8'));
    expect(file.splits.train).toHaveLength(20);
    expect(create.stdout()).toContain(`wrote ${output}`);

    const show = captureIo(env);
    const showProgram = new Command();
    registerSplitCommand(showProgram, show.io);
    await showProgram.parseAsync(['split', 'show', output, '--json'], { from: 'user' });
    const counts = JSON.parse(show.stdout()).counts as {
      split: string;
      label: string | null;
      count: number;
    }[];
    expect(counts.find((r) => r.split === 'val' && r.label === null)?.count).toBe(20);
    expect(counts.filter((r) => r.label !== null).reduce((n, r) => n + r.count, 0)).toBe(TOTAL);
  }, 60_000);

  it('fails with one line and exit status 1 on a missing table', async () => {
    const c = captureIo(env);
    const program = new Command();
    registerSplitCommand(program, c.io);
    await program.parseAsync(
      ['split', 'create', '--keyspace', ks, '--metadata-table', 'nope', '-o', join(dir, 'x.json')],
      { from: 'user' },
    );
    expect(c.stderr()).toBe(
      `cassdl split create: table ${ks}.nope does not exist (ingest first, or pass --keyspace/--metadata-table)\n`,
    );
    expect(process.exitCode).toBe(1);
  });
});

describe('uuids export', () => {
  it('round-trips every id of the data table through a text file, paged', async () => {
    const output = join(dir, 'ids.txt');
    const summary = await exportUuids({ connection, keyspace: ks, output, fetchSize: 7 });
    expect(summary).toMatchObject({ table: 'data', scanned: TOTAL, exported: TOTAL });
    const packed = await readUuidFile(output);
    expect(packed.length).toBe(TOTAL * 16);
    const file = await createSplit({ connection, keyspace: ks, ratios: { all: 1 } });
    const ids = Array.from({ length: TOTAL }, (_, i) => formatUuid(packed, i * 16));
    expect(new Set(ids)).toEqual(new Set(file.splits.all));
  }, 60_000);

  it('filters metadata rows by label and original split, as JSON', async () => {
    const output = join(dir, 'ids.json');
    const c = captureIo(env);
    const program = new Command();
    registerUuidsCommand(program, c.io);
    await program.parseAsync(
      [
        'uuids',
        'export',
        '--keyspace',
        ks,
        '--label',
        '1',
        '--original-split',
        'val',
        '--format',
        'json',
        '-o',
        output,
        '--json',
      ],
      { from: 'user' },
    );
    expect(c.stderr()).toBe('');
    expect(JSON.parse(c.stdout())).toMatchObject({
      table: 'metadata',
      exported: 5,
      scanned: TOTAL,
    });
    const ids = JSON.parse(await readFile(output, 'utf8')) as string[];
    expect(ids).toHaveLength(5);
    expect((await readUuidFile(output)).length).toBe(5 * 16);
  }, 60_000);

  it('rejects a bad id file naming each bad line', async () => {
    const { writeFile } = await import('node:fs/promises');
    const path = join(dir, 'bad.txt');
    await writeFile(path, '123e4567-e89b-12d3-a456-426614174000\nnot-a-uuid\n\n# comment\nxyz\n');
    await expect(readUuidFile(path)).rejects.toThrow(
      /bad\.txt:2: expected UUID.*\n.*bad\.txt:5: expected UUID/,
    );
  });
});

describe('inspect', () => {
  it('reports columns, a row count, blob sizes and one row', async () => {
    const report = await inspectTable({ connection, keyspace: ks });
    expect(report.columns.map((c) => `${c.name} ${c.type} ${c.kind}`)).toEqual([
      'id uuid partition_key',
      'data blob regular',
      'label int regular',
    ]);
    expect(report.rowCount).toMatchObject({ rows: TOTAL });
    const sizes = report.blobSizes.data;
    expect(sizes?.count).toBe(TOTAL);
    expect(sizes?.min).toBeGreaterThan(100);
    expect(sizes?.min).toBeLessThanOrEqual(sizes?.median ?? 0);
    expect(sizes?.p90).toBeLessThanOrEqual(sizes?.max ?? 0);
    expect(report.sampleRow?.data).toMatch(/^<\d+ bytes> ff d8 ff/);
    expect(report.manifest?.classNames).toEqual(['a', 'b', 'c']);
  }, 60_000);

  it('prints the report as text from the command line', async () => {
    const c = captureIo(env);
    const program = new Command();
    registerInspectCommand(program, c.io);
    await program.parseAsync(['inspect', '--keyspace', ks, '--table', 'metadata'], {
      from: 'user',
    });
    const text = c.stdout();
    expect(text).toContain(`${ks}.metadata`);
    expect(text).toMatch(/original_split\s+text\s+regular/);
    expect(text).toContain('original_split: "');
  }, 60_000);

  it("inspects the table named by cassandra-dali-plugin's reader arguments", async () => {
    const file = join(dir, 'dali.json');
    await writeFile(
      file,
      JSON.stringify({
        cassandra_ips: connection.contactPoints,
        cassandra_port: connection.port ?? 9042,
        table: `${ks}.data`,
        io_threads: 4,
        ssl_certificate: '',
      }),
    );
    const c = captureIo(env);
    const program = new Command();
    registerInspectCommand(program, c.io);
    await program.parseAsync(['inspect', '--dali-options', file], { from: 'user' });
    expect(process.exitCode ?? 0).toBe(0);
    expect(c.stdout()).toContain(`${ks}.data`);
    expect(c.stderr()).toContain('connectionsPerHost=4');
    expect(c.stderr()).toContain('"connectionsPerHost":4');
  });
});
