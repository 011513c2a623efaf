import { describe, expect, it } from 'vitest';
import { RowCursor } from '../plan/row-cursor.js';

describe('RowCursor (row-level ooo progress)', () => {
  it('keeps the delivered prefix and the rows past it as ranges', () => {
    const cursor = new RowCursor(0, 10);
    for (const row of [3, 4, 0, 7]) cursor.markDelivered(row);
    expect(cursor.prefix).toBe(1);
    expect(cursor.window()).toEqual([
      [3, 5],
      [7, 8],
    ]);
    expect(cursor.delivered).toBe(4);
    expect([...cursor.pending()]).toEqual([1, 2, 5, 6, 8, 9]);
    for (const row of [1, 2]) cursor.markDelivered(row);
    expect(cursor.prefix).toBe(5);
    expect(cursor.window()).toEqual([[7, 8]]);
    expect(cursor.done).toBe(false);
    for (const row of [5, 6, 8, 9]) cursor.markDelivered(row);
    expect(cursor.done).toBe(true);
    expect(cursor.window()).toEqual([]);
  });

  it('refuses a row delivered twice', () => {
    const cursor = new RowCursor(2, 4);
    cursor.markDelivered(2);
    expect(() => cursor.markDelivered(2)).toThrow(/row 2 of epoch 2 delivered twice/);
  });

  it('rebuilt from a saved prefix and window, lists exactly the rows left and saves the same window', () => {
    const cursor = new RowCursor(0, 20, 6, [
      [8, 11],
      [15, 16],
    ]);
    expect(cursor.prefix).toBe(6);
    expect(cursor.delivered).toBe(10);
    expect(cursor.window()).toEqual([
      [8, 11],
      [15, 16],
    ]);
    expect([...cursor.pending()]).toEqual([6, 7, 11, 12, 13, 14, 16, 17, 18, 19]);
    // A window touching the prefix joins it.
    expect(new RowCursor(0, 20, 6, [[6, 9]]).prefix).toBe(9);
  });
});
