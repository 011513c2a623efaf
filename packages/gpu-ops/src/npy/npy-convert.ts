import { NpyFormatError } from '../errors/index.js';
import type { NpyArray } from './npy-decode.js';

/** Tensor dtypes a `.npy` array can become. */
export type NpyTargetDtype = 'float32' | 'int32' | 'bool';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** Largest integer float32 holds exactly. */
const FLOAT32_EXACT = 2 ** 24;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Writes `array`'s elements into `out` at `offset` as `target`, checking the
 * conversions that could lose information silently: int64 outside int32 (or
 * outside float32's exact integers), float64 beyond float32's range,
 * fractional or out-of-range values into int32 or bool.
 */
export function convertNpyInto(
  array: NpyArray,
  target: NpyTargetDtype,
  out: Float32Array | Int32Array | Uint8Array,
  offset: number,
): void {
  const { data } = array;
  const [lo, hi] = limits(array, target);
  const isFloat = array.dtype === 'float32' || array.dtype === 'float64';
  for (let i = 0; i < data.length; i++) {
    const raw = data[i]!;
    const value = typeof raw === 'bigint' ? bigToNumber(raw, lo, hi) : raw;
    // NaN and infinities are float values, kept as such in a float32 output.
    const fits =
      target === 'float32' && isFloat
        ? !Number.isFinite(value) || Math.abs(value) <= hi
        : value >= lo && value <= hi && (target === 'float32' || Number.isInteger(value));
    if (!fits) {
      const exact =
        target === 'float32' && array.dtype === 'int64' ? ' exactly (|value| <= 2^24)' : '';
      throw new NpyFormatError(
        `element ${i} (${String(raw)}) of a ${array.dtype} array does not fit ${target}${exact}`,
      );
    }
    out[offset + i] = value;
  }
}

function limits(array: NpyArray, target: NpyTargetDtype): [number, number] {
  if (target === 'bool') return [0, 1];
  if (target === 'int32') return [INT32_MIN, INT32_MAX];
  if (array.dtype === 'int64') return [-FLOAT32_EXACT, FLOAT32_EXACT];
  return [-FLOAT32_MAX, FLOAT32_MAX];
}

/** NaN for values outside [lo, hi], so the caller's range check reports them. */
function bigToNumber(value: bigint, lo: number, hi: number): number {
  return value < BigInt(lo) || value > BigInt(hi) ? Number.NaN : Number(value);
}
