import type { RawBatch } from '@cassdl/schema';
import { describe, expect, it } from 'vitest';
import { countWrongRows } from '../dataset.js';
import { ExactlyOnceLedger } from '../ledger.js';

const ID = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function key(n: number): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes.set([0x40], 6);
  bytes.set([0x80], 8);
  new DataView(bytes.buffer).setUint32(12, n);
  return bytes;
}

/** A batch of rows `ns` whose blobs start with `heads[i]` (default: their own id). */
function batch(ns: number[], padding = 0, heads?: Uint8Array[]): RawBatch {
  const ids = new Uint8Array(ns.length * 16);
  ns.forEach((n, i) => {
    ids.set(key(n), i * 16);
  });
  const data = new Uint8Array(ns.length * 20);
  const dataOffsets = new Uint32Array(ns.length + 1);
  ns.forEach((n, i) => {
    data.set(heads?.[i] ?? key(n), i * 20);
    dataOffsets[i + 1] = (i + 1) * 20;
  });
  return {
    epoch: 0,
    index: 0,
    size: ns.length,
    padding,
    ids,
    data,
    dataOffsets,
    labels: { kind: 'none' },
  };
}

describe('ExactlyOnceLedger', () => {
  it('reports a clean epoch as exactly once', () => {
    const ledger = new ExactlyOnceLedger([ID(1), ID(2), ID(3)]);
    ledger.record(batch([2, 1]));
    ledger.record(batch([3]));
    expect(ledger.summary()).toEqual({
      expected: 3,
      delivered: 3,
      duplicated: 0,
      lost: 0,
      unexpected: 0,
      exactlyOnce: true,
    });
  });

  it('counts lost, duplicated and unexpected ids and names a few of each', () => {
    const ledger = new ExactlyOnceLedger([ID(1), ID(2), ID(3), ID(4)]);
    ledger.record(batch([1, 2, 2, 9]));
    ledger.record(batch([1]));
    expect(ledger.summary()).toMatchObject({
      delivered: 2,
      duplicated: 2,
      lost: 2,
      unexpected: 1,
      exactlyOnce: false,
    });
    expect(ledger.samples()).toEqual({
      lost: [ID(3), ID(4)],
      duplicated: [ID(1), ID(2)],
      unexpected: [ID(9)],
    });
  });

  it('ignores the declared trailing padding, which repeats a sample on purpose', () => {
    const ledger = new ExactlyOnceLedger([ID(1), ID(2), ID(3)]);
    ledger.record(batch([1, 2]));
    ledger.record(batch([3, 3], 1));
    expect(ledger.summary().exactlyOnce).toBe(true);
  });

  it('accepts packed ids and upper-case strings alike', () => {
    const packed = new Uint8Array(32);
    packed.set(key(5), 0);
    packed.set(key(6), 16);
    const ledger = new ExactlyOnceLedger(packed);
    ledger.recordId(ID(5).toUpperCase());
    expect(ledger.summary()).toMatchObject({ expected: 2, delivered: 1, lost: 1 });
    expect(() => new ExactlyOnceLedger(new Uint8Array(17))).toThrow(/multiple of 16/);
  });
});

describe('countWrongRows', () => {
  it('flags a row whose blob does not start with its own id', () => {
    expect(countWrongRows(batch([1, 2, 3]))).toBe(0);
    expect(countWrongRows(batch([1, 2, 3], 0, [key(1), key(3), key(3)]))).toBe(1);
  });
});
