import { describe, expect, it } from 'vitest';
import { EpochCursor } from '../plan/cursor.js';
import { idsFingerprint } from '../plan/fingerprint.js';
import { fakeIds } from './helpers/ids.js';

describe('EpochCursor', () => {
  it('tracks an in-order prefix', () => {
    const cursor = new EpochCursor(0, 4);
    cursor.markDelivered(0);
    cursor.markDelivered(1);
    expect(cursor.prefix).toBe(2);
    expect(cursor.ahead).toEqual([]);
    expect([...cursor.pending()]).toEqual([2, 3]);
  });

  it('keeps out-of-order deliveries ahead of the prefix until the gap closes', () => {
    const cursor = new EpochCursor(0, 5);
    cursor.markDelivered(2);
    cursor.markDelivered(4);
    expect(cursor.prefix).toBe(0);
    expect(cursor.ahead).toEqual([2, 4]);
    expect([...cursor.pending()]).toEqual([0, 1, 3]);
    cursor.markDelivered(0);
    cursor.markDelivered(1);
    expect(cursor.prefix).toBe(3);
    expect(cursor.ahead).toEqual([4]);
    cursor.markDelivered(3);
    expect(cursor.done).toBe(true);
  });

  it('restores from a saved prefix and ahead set, and refuses a second delivery', () => {
    const cursor = new EpochCursor(3, 6, 2, [4]);
    expect([...cursor.pending()]).toEqual([2, 3, 5]);
    expect(() => cursor.markDelivered(4)).toThrow(/delivered twice/);
    expect(() => cursor.markDelivered(1)).toThrow(/delivered twice/);
  });
});

describe('idsFingerprint', () => {
  it('changes when the id list or its order changes', () => {
    const ids = fakeIds(10);
    const swapped = ids.slice();
    swapped.set(ids.subarray(0, 16), 16);
    swapped.set(ids.subarray(16, 32), 0);
    expect(idsFingerprint(ids)).toBe(idsFingerprint(fakeIds(10)));
    expect(idsFingerprint(ids)).not.toBe(idsFingerprint(swapped));
    expect(idsFingerprint(ids)).not.toBe(idsFingerprint(fakeIds(11)));
  });
});
