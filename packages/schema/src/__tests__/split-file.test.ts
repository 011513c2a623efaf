import { describe, expect, it } from 'vitest';
import { parseSplitFile, type SplitFileInput, serializeSplitFile, splitNames } from '../index.js';
import { issuesOf, linesOf, UUID_A, UUID_B, UUID_C } from './helpers.js';

const file: SplitFileInput = {
  version: 1,
  keyspace: 'imagenette',
  dataTable: 'data_224',
  metadataTable: 'metadata',
  labelType: 'int',
  splits: { train: [UUID_A.toUpperCase(), UUID_B], val: [`{${UUID_C}}`] },
  classCounts: { train: { '0': 1, '3': 1 }, val: { '3': 1 } },
  createdWith: {
    tool: 'cassdl 0.1.0',
    seed: 42,
    ratios: { train: 0.8, val: 0.2 },
    stratify: true,
    createdAt: '2026-01-31T12:00:00.000Z',
  },
};

describe('parseSplitFile', () => {
  it('fills column defaults and normalises ids to lowercase canonical text', () => {
    const parsed = parseSplitFile(file);
    expect(parsed).toMatchObject({
      idCol: 'id',
      dataCol: 'data',
      labelCol: 'label',
      labelType: 'int',
    });
    expect(parsed.splits).toEqual({ train: [UUID_A, UUID_B], val: [UUID_C] });
    expect(splitNames(parsed)).toEqual(['train', 'val']);
  });

  it('accepts JSON text and reports text that is not JSON', () => {
    expect(parseSplitFile(JSON.stringify(file)).keyspace).toBe('imagenette');
    const [issue] = issuesOf(() => parseSplitFile('{"version": 1,'));
    expect(issue?.path).toBe('splitFile');
    expect(issue?.message).toMatch(/^splitFile: expected JSON text, it does not parse: /);
  });

  it('names the id and the splits of every duplicate', () => {
    expect(
      linesOf(() =>
        parseSplitFile({
          ...file,
          splits: { train: [UUID_A, UUID_B, UUID_A.toUpperCase()], val: [UUID_B] },
        }),
      ),
    ).toEqual([
      `splitFile.splits.train[2]: duplicate id ${UUID_A} in split "train": also at index 0 of the same split`,
      `splitFile.splits.val[0]: duplicate id ${UUID_B} in split "val": also in split "train" (index 1)`,
    ]);
  });

  it('rejects an unknown version, bad ids and class counts for unknown splits', () => {
    expect(linesOf(() => parseSplitFile({ ...file, version: 2 }))).toEqual([
      'splitFile.version: expected 1, received 2 (number)',
    ]);
    expect(
      linesOf(() =>
        parseSplitFile({ ...file, splits: { train: ['nope'] }, classCounts: undefined }),
      ),
    ).toEqual([
      'splitFile.splits.train[0]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "nope" (string)',
    ]);
    expect(linesOf(() => parseSplitFile({ ...file, classCounts: { test: { '0': 1 } } }))).toEqual([
      'splitFile.classCounts.test: expected a split name ("train", "val"), received "test" (string)',
    ]);
  });

  it('checks the creation record', () => {
    const createdWith = { ...file.createdWith, seed: -1, createdAt: 'yesterday' };
    expect(linesOf(() => parseSplitFile({ ...file, createdWith }))).toEqual([
      'splitFile.createdWith.seed: expected integer from 0 to 4294967295, received -1 (number)',
      'splitFile.createdWith.createdAt: expected ISO 8601 date-time such as 2026-01-31T12:00:00Z, received "yesterday" (string)',
    ]);
  });

  it('rejects unknown keys with a hint', () => {
    expect(linesOf(() => parseSplitFile({ ...file, data_table: 'x' }))).toEqual([
      'splitFile.data_table: unknown option "data_table" (did you mean "dataTable"?)',
    ]);
  });
});

describe('serializeSplitFile', () => {
  it('round-trips through parseSplitFile', () => {
    const parsed = parseSplitFile(file);
    const text = serializeSplitFile(parsed);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseSplitFile(text)).toEqual(parsed);
  });

  it('writes keys in a fixed order whatever the input order', () => {
    const reordered = parseSplitFile({
      splits: file.splits,
      version: 1,
      metadataTable: 'm',
      dataTable: 'd',
      keyspace: 'ks',
    });
    const keys = Object.keys(JSON.parse(serializeSplitFile(reordered)));
    expect(keys).toEqual([
      'version',
      'keyspace',
      'dataTable',
      'metadataTable',
      'idCol',
      'dataCol',
      'labelCol',
      'labelType',
      'splits',
    ]);
  });
});
