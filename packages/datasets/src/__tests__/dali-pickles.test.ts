import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { splitFileFromPickle } from '../dali/split-pickle.js';
import { uuidsFromPickle } from '../dali/uuid-pickle.js';
import { CassdlPickleError } from '../pickle/errors.js';
import { readPickle } from '../pickle/read-pickle.js';
import { DALI_FIXTURES, daliDataset } from './helpers/dali-fixtures.js';

const fixture = (name: string) => readFile(`${DALI_FIXTURES}${name}`);

describe('the plugin split pickle', () => {
  it.each(['split.p4.pckl', 'split.p5.pckl', 'split.p2.pckl'])(
    'keeps the exact assignment of %s, tables and columns from the pickle',
    async (name) => {
      const file = splitFileFromPickle(await fixture(name), name);
      const expected = daliDataset().splits;
      expect(file.splits.train).toEqual(expected.train);
      expect(file.splits.val).toEqual(expected.val);
      expect(file).toMatchObject({
        keyspace: 'dali_fixture',
        dataTable: 'data',
        metadataTable: 'metadata',
        idCol: 'id',
        dataCol: 'data',
        labelCol: 'label',
        labelType: 'int',
      });
    },
  );

  it('names splits as asked and refuses a count that does not match', async () => {
    const bytes = await fixture('split.p4.pckl');
    const file = splitFileFromPickle(bytes, 'x', { names: ['fit', 'holdout'] });
    expect(Object.keys(file.splits)).toEqual(['fit', 'holdout']);
    expect(() => splitFileFromPickle(bytes, 'x', { names: ['a', 'b', 'c'] })).toThrow(
      'the pickle has 2 splits, --names gives 3',
    );
  });
});

describe('the plugin id list pickle', () => {
  it('reads ListManager.save_rows in order', async () => {
    expect(uuidsFromPickle(await fixture('train.rows.pckl'), 'rows')).toEqual(daliDataset().rows);
  });
});

describe('the safe pickle reader', () => {
  it('refuses a pickle that would run code, naming the function', async () => {
    const evil = await fixture('evil.pckl');
    expect(() => readPickle(evil, 'evil.pckl')).toThrow(CassdlPickleError);
    expect(() => readPickle(evil, 'evil.pckl')).toThrow(/needs posix\.system.*runs no code/);
  });

  it('refuses the pandas metadata cache, saying what to use instead', async () => {
    const cache = await fixture('metadata-cache.pckl');
    expect(() => readPickle(cache, 'cache')).toThrow(
      /needs pandas.*metadata cache of cache_db_data_to_file/,
    );
  });

  it('reads the basic types, and says so on truncated or protocol 0 input', () => {
    // pickle.dumps({'a': [1, -2, 2**70, 'é', b'\x00', (True, None)]}, protocol=4)
    const p4 = Buffer.from(
      '8004952b000000000000007d948c0161945d94284b014afeffffff8a09000000000000000040' +
        '8c02c3a99443010094884e869465732e',
      'hex',
    );
    const list = (readPickle(p4, 'p4') as Map<string, unknown[]>).get('a') as unknown[];
    expect(list.slice(0, 4)).toEqual([1, -2, 2n ** 70n, 'é']);
    expect(list[4]).toEqual(new Uint8Array([0]));
    expect(() => readPickle(p4.subarray(0, 20), 'cut')).toThrow('cut: the file ends early');
    expect(() => readPickle(Buffer.from('(lp0\nI1\na.', 'latin1'), 'p0')).toThrow(
      /p0: opcode 0x6c/,
    );
  });
});
