import { describe, expect, it } from 'vitest';
import { formatUuid, parseReaderOptions, parseSplitFile, splitIdsForReader } from '../index.js';
import { linesOf, UUID_A, UUID_B, UUID_C } from './helpers.js';

const file = parseSplitFile({
  version: 1,
  keyspace: 'seg',
  dataTable: 'data',
  metadataTable: 'metadata',
  labelCol: 'mask',
  labelType: 'blob',
  splits: { train: [UUID_A, UUID_B], val: [UUID_C] },
});
const connection = { contactPoints: ['127.0.0.1'] };

describe('splitIdsForReader', () => {
  it('packs the chosen split when the reader matches the file', () => {
    const reader = parseReaderOptions({
      connection,
      table: 'seg.data',
      labelCol: 'mask',
      labelType: 'blob',
      splitFile: 'seg.split.json',
      splitName: 'train',
    });
    const ids = splitIdsForReader(reader, file);
    expect(ids).toHaveLength(32);
    expect([formatUuid(ids, 0), formatUuid(ids, 16)]).toEqual([UUID_A, UUID_B]);
  });

  it('names every field that disagrees with the file, and a split it lacks', () => {
    const reader = parseReaderOptions({
      connection,
      table: 'seg.other',
      splitFile: 'seg.split.json',
      splitName: 'test',
    });
    expect(linesOf(() => splitIdsForReader(reader, file))).toEqual([
      'reader.table: expected "seg.data" (the split file\'s data table), received "seg.other" (string)',
      'reader.labelCol: expected "mask" (the split file\'s labelCol), received "label" (string)',
      'reader.labelType: expected "blob" (the split file\'s labelType), received "int" (string)',
      'reader.splitName: expected one of "train", "val", received "test" (string)',
    ]);
  });

  it('needs a split name', () => {
    const reader = parseReaderOptions({
      connection,
      table: 'seg.data',
      labelCol: 'mask',
      labelType: 'blob',
    });
    expect(linesOf(() => splitIdsForReader(reader, file))).toEqual([
      'reader.splitName: expected one of "train", "val", received nothing',
    ]);
  });

  it('applies the same rules when the parsed file is given to the reader', () => {
    expect(
      linesOf(() =>
        parseReaderOptions({
          connection,
          table: 'seg.data',
          labelType: 'blob',
          splitFile: file,
          splitName: 'val',
        }),
      ),
    ).toEqual([
      'reader.labelCol: expected "mask" (the split file\'s labelCol), received "label" (string)',
    ]);
  });
});
