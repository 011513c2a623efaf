import { describe, expect, it } from 'vitest';
import { parseReaderOptions, type SplitFileInput } from '../index.js';
import { linesOf, UUID_A, UUID_B } from './helpers.js';

const base = { table: 'ks.a', connection: { contactPoints: ['127.0.0.1'] } };
const lines = (extra: object) => linesOf(() => parseReaderOptions({ ...base, ...extra }));

const splitB: SplitFileInput = {
  version: 1,
  keyspace: 'ks',
  dataTable: 'b',
  metadataTable: 'metadata',
  splits: { train: [UUID_B] },
};

describe('reader sources (weighted mix)', () => {
  it('packs each source and keeps its table and share', () => {
    const o = parseReaderOptions({
      ...base,
      sources: [
        { sourceUuids: [UUID_A], weight: 0.7 },
        { table: 'ks.b', splitFile: splitB, splitName: 'train', weight: 0.3 },
      ],
      epochSize: 1000,
    });
    expect(o.sources?.[0]?.sourceUuids).toBeInstanceOf(Uint8Array);
    expect(o.sources?.[1]).toMatchObject({ table: 'ks.b', splitName: 'train', weight: 0.3 });
    expect(o.epochSize).toBe(1000);
  });

  it('names every bad source field', () => {
    expect(
      lines({
        sources: [
          { sourceUuids: [UUID_A], weight: 1, repeat: 2 },
          { splitName: 'train' },
          { sourceUuids: [UUID_A], weight: -1 },
        ],
      }),
    ).toEqual(['reader.sources[2].weight: expected number > 0, received -1 (number)']);
    expect(
      lines({
        sources: [{ sourceUuids: [UUID_A], weight: 1, repeat: 2 }, { splitName: 'train' }],
      }),
    ).toEqual([
      'reader.sources[0]: expected at most one of weight, proportion, repeat, received "weight and repeat" (string)',
      'reader.sources[1]: expected exactly one of sourceUuids or splitFile + splitName, received "neither" (string)',
      'reader.sources[1].splitFile: expected splitFile and splitName together, received nothing',
    ]);
  });

  it('refuses a top-level id list beside sources, mixed share kinds and proportions not adding up to 1', () => {
    expect(lines({ sourceUuids: [UUID_A], sources: [{ sourceUuids: [UUID_B] }] })).toEqual([
      'reader.sourceUuids: expected no top-level id list when sources is given (give each source its ids), received "sourceUuids" (string)',
    ]);
    expect(
      lines({
        sources: [
          { sourceUuids: [UUID_A], proportion: 0.5 },
          { sourceUuids: [UUID_B], weight: 1 },
        ],
      }),
    ).toContain(
      'reader.sources: expected weight or proportion on the sources, not both, received "both" (string)',
    );
    expect(
      lines({
        sources: [
          { sourceUuids: [UUID_A], proportion: 0.5 },
          { sourceUuids: [UUID_B], proportion: 0.4 },
        ],
      }),
    ).toEqual(['reader.sources: expected proportions that add up to 1, received 0.9 (number)']);
    expect(lines({ sourceUuids: [UUID_A], epochSize: 10 })).toEqual([
      'reader.epochSize: expected no epochSize without sources (it sizes a weighted mix), received 10 (number)',
    ]);
  });

  it("checks a parsed split file against its source's table", () => {
    expect(lines({ sources: [{ splitFile: splitB, splitName: 'train' }] })).toEqual([
      'reader.sources[0].table: expected "ks.b" (the split file\'s data table), received "ks.a" (string)',
    ]);
  });
});
