import { z } from 'zod';
import { addIssue } from './validation/refine.js';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/**
 * Bytes from a size such as `'512MiB'`, `'1.5 GB'` or `'4096'`: IEC units
 * (KiB, MiB, GiB, TiB) are powers of 1024, SI units (KB, MB, GB, TB) powers
 * of 1000, as `ls`/`df` and Kubernetes read them. `null` when it is not a size.
 */
export function parseByteSize(text: string): number | null {
  const match = PATTERN.exec(text);
  if (match === null) return null;
  const unit = UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  if (unit === undefined) return null;
  return Math.floor(Number(match[1]) * unit);
}

/** A byte count of at least `min`, as a number or a `'512MiB'`-style string. */
export function byteSizeSchema(min: number) {
  const expected = `bytes >= ${min} (an integer, or a size such as '512MiB', '2GB')`;
  return z.union([z.number(), z.string()], { error: expected }).transform((value, ctx): number => {
    const bytes = typeof value === 'number' ? value : parseByteSize(value);
    if (bytes === null || !Number.isSafeInteger(bytes) || bytes < min) {
      addIssue(ctx, [], expected, value);
      return z.NEVER;
    }
    return bytes;
  });
}
