import { describe, expect, it } from 'vitest';
import { NpyFormatError, npyDecode } from '../index.js';
import { convertNpyInto } from '../npy/npy-convert.js';
import { NPY_CASES, NPY_INT64_2_POW_40 } from './fixtures/npy-cases.js';

const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** Builds a v1 .npy by hand to probe header handling NumPy would never write. */
function handmade(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const lengthSize = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthSize + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, 8 + lengthSize);
  out.set(data, 8 + lengthSize + text.length);
  return out;
}

describe('npyDecode against files written by NumPy', () => {
  it.each(NPY_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const array = npyDecode(bytesOf(c.b64));
    expect(array.shape).toEqual(c.shape);
    const got = Array.from(array.data as ArrayLike<number | bigint>, (v) =>
      typeof v === 'bigint' ? Number(v) : v,
    );
    const want = c.values.map((v) => (typeof v === 'boolean' ? Number(v) : v));
    expect(got).toEqual(want);
  });

  it('decodes from an unaligned view inside an arena', () => {
    const file = bytesOf(NPY_CASES.find((c) => c.name === 'float64 <')!.b64);
    const arena = new Uint8Array(file.length + 3);
    arena.set(file, 3);
    expect(Array.from(npyDecode(arena.subarray(3)).data as Float64Array)).toEqual([
      0.1, -0.2, 1e10, 3.5,
    ]);
  });
});

describe('npyDecode rejects malformed files with a clear error', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['no magic', new TextEncoder().encode('PK\x03\x04 not numpy at all'), /magic/],
    [
      'version 4',
      handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4), 4),
      /version 4/,
    ],
    ['header past the end', handmade("{'descr': '<f4'").subarray(0, 14), /header says/],
    ['not a dict', handmade('[1, 2]'), /not a dict/],
    ['unterminated', handmade("{'descr': '<f4, 'shape': (1,)}"), /malformed header/],
    ['missing shape', handmade("{'descr': '<f4', 'fortran_order': False}"), /'shape'/],
    [
      'negative size',
      handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}"),
      /'shape'/,
    ],
    [
      'object dtype',
      handmade("{'descr': '|O', 'fortran_order': False, 'shape': (1,)}"),
      /dtype '\|O' is not supported/,
    ],
    [
      'complex dtype',
      handmade("{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}"),
      /not supported/,
    ],
    [
      'truncated data',
      handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}", new Uint8Array(8)),
      /needs 12 data bytes, the file has 8/,
    ],
  ];
  it.each(cases)('%s', (_name, bytes, message) => {
    expect(() => npyDecode(bytes)).toThrow(NpyFormatError);
    expect(() => npyDecode(bytes)).toThrow(message);
  });

  it('accepts a v2 header built by hand', () => {
    const data = new Uint8Array(new Int32Array([5, -6]).buffer);
    const array = npyDecode(
      handmade("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", data, 2),
    );
    expect(Array.from(array.data as Int32Array)).toEqual([5, -6]);
  });
});

describe('convertNpyInto checks conversions that would lose information', () => {
  it('int64 to int32 and to float32 within range', () => {
    const array = npyDecode(bytesOf(NPY_CASES.find((c) => c.name === 'int64 >')!.b64));
    const i32 = new Int32Array(4);
    convertNpyInto(array, 'int32', i32, 0);
    expect(Array.from(i32)).toEqual([1, -2, 3, 2 ** 24]);
    const f32 = new Float32Array(4);
    convertNpyInto(array, 'float32', f32, 0);
    expect(Array.from(f32)).toEqual([1, -2, 3, 2 ** 24]);
  });

  it('rejects int64 beyond int32 and beyond float32 exact integers', () => {
    const array = npyDecode(bytesOf(NPY_INT64_2_POW_40));
    expect(() => convertNpyInto(array, 'int32', new Int32Array(1), 0)).toThrow(
      /1099511627776.*does not fit int32/,
    );
    expect(() => convertNpyInto(array, 'float32', new Float32Array(1), 0)).toThrow(/exactly/);
  });

  it('rejects float64 beyond float32 range, and fractions into int32 or bool', () => {
    const huge = { dtype: 'float64', shape: [1], data: new Float64Array([1e300]) } as const;
    expect(() => convertNpyInto(huge, 'float32', new Float32Array(1), 0)).toThrow(
      /does not fit float32/,
    );
    const frac = { dtype: 'float32', shape: [1], data: new Float32Array([0.5]) } as const;
    expect(() => convertNpyInto(frac, 'int32', new Int32Array(1), 0)).toThrow(/does not fit int32/);
    const two = { dtype: 'uint8', shape: [1], data: new Uint8Array([2]) } as const;
    expect(() => convertNpyInto(two, 'bool', new Uint8Array(1), 0)).toThrow(/does not fit bool/);
    const nan = {
      dtype: 'float64',
      shape: [2],
      data: new Float64Array([Number.NaN, -Infinity]),
    } as const;
    const out = new Float32Array(2);
    convertNpyInto(nan, 'float32', out, 0);
    expect(Array.from(out)).toEqual([Number.NaN, -Infinity]);
  });
});
