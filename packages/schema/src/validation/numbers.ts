import { z } from 'zod';

/**
 * An integer schema whose every failure (wrong type, fraction, too small,
 * too large) reads the same: `integer >= 1`, `integer from 1 to 65535`.
 * zod reports `z.int().min()` as a plain number bound, which misleads.
 */
export function integer(min: number, max?: number) {
  const expected = max === undefined ? `integer >= ${min}` : `integer from ${min} to ${max}`;
  const schema = z.int({ error: expected }).min(min, { error: expected });
  return max === undefined ? schema : schema.max(max, { error: expected });
}

/** A uint32, e.g. a shuffle seed. */
export const uint32 = () => integer(0, 0xffff_ffff);
