import { parseUuid } from '@cassdl/schema';
import { describe, expect, it } from 'vitest';
import { CASSDL_INGEST_NAMESPACE, sampleId, uuidV5 } from '../ingest/ids.js';
import { sniffImageFormat } from '../ingest/image-check.js';
import { encodeNpyVector } from '../ingest/npy.js';
import { allocate, assignSplits } from '../split/assign.js';
import { parseRatios } from '../split/ratios.js';

describe('ids', () => {
  it('computes RFC 4122 UUIDv5 (the RFC example vector)', () => {
    const dns = parseUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives a file the same id on every run, distinct per path', () => {
    expect(sampleId('cat/1.jpg')).toBe(uuidV5('cat/1.jpg', parseUuid(CASSDL_INGEST_NAMESPACE)));
    expect(sampleId('cat/1.jpg')).toBe(sampleId('cat/1.jpg'));
    expect(sampleId('cat/1.jpg')).not.toBe(sampleId('cat/2.jpg'));
    expect(sampleId('cat/1.jpg')[14]).toBe('5');
  });
});

describe('ratios', () => {
  it('parses named ratios in order and accepts rounding within 1e-6', () => {
    expect(parseRatios('train=0.7,val=0.2,test=0.1')).toEqual({ train: 0.7, val: 0.2, test: 0.1 });
    expect(Object.keys(parseRatios('b=0.5,a=0.5'))).toEqual(['b', 'a']);
    expect(() => parseRatios('a=0.3333333,b=0.6666667')).not.toThrow();
  });

  it('rejects bad sums, bad values and repeated names', () => {
    expect(() => parseRatios('a=0.5,b=0.6')).toThrow('ratios must sum to 1, these sum to 1.1');
    expect(() => parseRatios('a=x,b=1')).toThrow('split.ratios.a: expected number from 0 to 1');
    expect(() => parseRatios('a=0.5,a=0.5')).toThrow('distinct names');
  });
});

describe('split assignment', () => {
  it('allocates within one row of each exact share, summing to n', () => {
    for (const n of [0, 1, 7, 23, 101]) {
      const ratios = { train: 0.7, val: 0.2, test: 0.1 };
      const counts = allocate(n, ratios);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(n);
      for (const [name, r] of Object.entries(ratios))
        expect(Math.abs((counts[name] ?? 0) - n * r)).toBeLessThan(1);
    }
  });

  it('puts each id in one split, stratified per class, independent of input order', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      label: i % 3 === 0 ? 0 : i % 7 === 0 ? 1 : 2,
    }));
    const ratios = { train: 0.8, val: 0.2 };
    const splits = assignSplits(rows, ratios, 3, true);
    expect(new Set([...(splits.train ?? []), ...(splits.val ?? [])]).size).toBe(300);
    for (const label of [0, 1, 2]) {
      const n = rows.filter((r) => r.label === label).length;
      const inVal = (splits.val ?? []).filter(
        (id) => rows.find((r) => r.id === id)?.label === label,
      ).length;
      expect(Math.abs(inVal - n * 0.2)).toBeLessThanOrEqual(1);
    }
    expect(assignSplits([...rows].reverse(), ratios, 3, true)).toEqual(splits);
  });
});

describe('npy', () => {
  it('writes a v1.0 header padded to 64 bytes, then the data', () => {
    const u1 = encodeNpyVector([1, 0, 1], 'u1');
    // 10 prefix bytes + a 58-character dict + padding: data starts at 128, as numpy writes it.
    const header = Buffer.from(u1.subarray(10, 128)).toString('latin1');
    expect(Buffer.from(u1.subarray(0, 8)).toString('latin1')).toBe('\x93NUMPY\x01\x00');
    expect(new DataView(u1.buffer).getUint16(8, true)).toBe(118);
    expect(header).toMatch(/^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(3,\), \} +\n$/);
    expect([...u1.subarray(128)]).toEqual([1, 0, 1]);
    const f4 = encodeNpyVector([1, 0], 'f4');
    expect(Buffer.from(f4).toString('latin1')).toContain("'<f4'");
    expect(new DataView(f4.buffer, 128).getFloat32(0, true)).toBe(1);
  });
});

describe('image sniffing', () => {
  it('knows JPEG and PNG by their magic bytes', () => {
    expect(sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      'png',
    );
    expect(sniffImageFormat(new TextEncoder().encode('GIF89a'))).toBeNull();
  });
});
