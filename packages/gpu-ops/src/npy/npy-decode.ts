import { NpyFormatError } from '../errors/index.js';
import type { NpyDtype } from './npy-header.js';
import { npyItemSize, parseNpyHeader } from './npy-header.js';

/** Element storage per dtype; `int64` keeps full precision as bigint. */
export type NpyData = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** A decoded `.npy` array in C (row-major) order, native endianness. */
export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: NpyData;
}

/**
 * Decodes a NumPy `.npy` file (bool, uint8, int32, int64, float32, float64;
 * any shape; little or big endian; C or Fortran order; header versions 1-3)
 * into a fresh typed array. Bool elements come back as 0/1 bytes.
 */
export function npyDecode(bytes: Uint8Array): NpyArray {
  const header = parseNpyHeader(bytes);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const itemSize = npyItemSize(header.dtype);
  const byteLength = count * itemSize;
  if (header.dataOffset + byteLength > bytes.length) {
    throw new NpyFormatError(
      `shape (${header.shape.join(', ')}) of ${header.dtype} needs ${byteLength} data bytes, the file has ${bytes.length - header.dataOffset}`,
    );
  }
  const raw = bytes.slice(header.dataOffset, header.dataOffset + byteLength);
  if (!header.littleEndian && itemSize > 1) swapBytes(raw, itemSize);
  let data = view(header.dtype, raw.buffer);
  if (header.dtype === 'bool' && data instanceof Uint8Array) normalizeBools(data);
  if (header.fortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape);
  return { dtype: header.dtype, shape: header.shape, data };
}

/** Turns big-endian elements into little-endian ones in place (every platform Node runs on is LE). */
function swapBytes(raw: Uint8Array, itemSize: number): void {
  for (let i = 0; i < raw.length; i += itemSize) raw.subarray(i, i + itemSize).reverse();
}

function view(dtype: NpyDtype, buffer: ArrayBuffer): NpyData {
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
  }
}

function normalizeBools(data: Uint8Array): void {
  for (let i = 0; i < data.length; i++) data[i] = data[i] === 0 ? 0 : 1;
}

/** Reorders a column-major array to row-major. */
function fortranToC<T extends NpyData>(data: T, shape: readonly number[]): T {
  const out = new (data.constructor as new (length: number) => T)(data.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  const fStrides = new Array<number>(rank);
  fStrides[0] = 1;
  for (let d = 1; d < rank; d++) fStrides[d] = fStrides[d - 1]! * shape[d - 1]!;
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let d = 0; d < rank; d++) f += index[d]! * fStrides[d]!;
    (out as unknown as number[])[c] = (data as unknown as number[])[f]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      if (index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}
