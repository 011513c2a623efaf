import { describe, expect, it } from 'vitest';
import { StuckKeys } from '../reader/stuck-keys.js';

describe('StuckKeys (row-level ooo: keys out longer than a moment)', () => {
  it('counts the keys not back of fetches submitted before a time, whichever fetch each row was in', () => {
    const stuck = new StuckKeys();
    stuck.submitted(0, 4, 10);
    stuck.submitted(4, 4, 20);
    stuck.submitted(9, 3, 30); // rows 9..11 (row 8 was delivered before a resume)
    expect(stuck.olderThan(25)).toBe(8);
    for (const row of [1, 5, 6, 9]) stuck.returned(row);
    expect(stuck.olderThan(25)).toBe(5);
    expect(stuck.olderThan(31)).toBe(7);
    for (const row of [0, 2, 3]) stuck.returned(row);
    expect(stuck.olderThan(15)).toBe(0);
    expect(stuck.olderThan(31)).toBe(4);
  });
});
