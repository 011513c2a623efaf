import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchedRows, NativeDataPlane } from '../index.js';
import {
  buildPlan,
  concat,
  DEFAULT_OPTIONS,
  openClient,
  readWithDriver,
  type SeededTable,
  seedTable,
} from './helpers/cassandra.js';

async function expectRows(
  client: cassandra.Client,
  seeded: SeededTable,
  keys: Uint8Array[],
  rows: FetchedRows,
) {
  expect(rows.size).toBe(keys.length);
  expect(rows.ids).toEqual(concat(keys));
  for (let i = 0; i < keys.length; i++) {
    const expected = await readWithDriver(client, seeded, keys[i] as Uint8Array);
    const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
    expect(Buffer.from(data).equals(expected?.data as Buffer)).toBe(true);
    if (rows.labels.kind === 'blob') {
      const label = rows.labels.data.subarray(rows.labels.offsets[i], rows.labels.offsets[i + 1]);
      expect(Buffer.from(label).equals(expected?.label as Buffer)).toBe(true);
    }
  }
}

function keyBatches(seeded: SeededTable, size: number, count: number): Uint8Array[][] {
  return Array.from({ length: count }, (_, b) => seeded.ids.slice(b * size, (b + 1) * size));
}

describe('leased fetches and the batch ring', () => {
  let client: cassandra.Client;
  let seeded: SeededTable;

  beforeAll(async () => {
    client = await openClient();
    seeded = await seedTable(client, 'ring_blob', 'blob', 400);
  }, 120_000);

  afterAll(async () => {
    await client?.shutdown();
  });

  it('refills the same arenas, with the same ArrayBuffers, once batches are released', async () => {
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      batchSlots: 2,
    });
    try {
      const batches = keyBatches(seeded, 50, 8);
      // Warm the slot with every row at once: the arena's first size follows the running
      // average row size, which depends on arrival order, so a later batch could otherwise
      // grow it (a new block, a new ArrayBuffer) and this test would measure timing.
      const warm = await plane.fetch(concat(batches.flat()), { leased: true });
      warm.release?.();
      const buffers = new Set<ArrayBufferLike>();
      for (const keys of batches) {
        const rows = await plane.fetch(concat(keys), { leased: true });
        await expectRows(client, seeded, keys, rows);
        buffers.add(rows.data.buffer);
        rows.release?.();
        rows.release?.(); // a second release does nothing
      }
      // One at a time: one slot, one data buffer, however many batches.
      expect(buffers.size).toBe(1);
      const ring = plane.stats().batchRing;
      expect(ring).toMatchObject({ slots: 1, lent: 0, overflows: 0 });
    } finally {
      await plane.close();
    }
  });

  it('lends overflow slots when every slot is held, and frees their memory as they come back', async () => {
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      batchSlots: 2,
    });
    try {
      const batches = keyBatches(seeded, 40, 5);
      const held = await Promise.all(batches.map((k) => plane.fetch(concat(k), { leased: true })));
      // Held at once, each batch keeps its own rows.
      for (const [i, keys] of batches.entries())
        await expectRows(client, seeded, keys, held[i] as FetchedRows);
      expect(plane.stats().batchRing).toMatchObject({ slots: 5, lent: 5, overflows: 3 });
      const mapped = () => plane.stats().batchRing?.mappedBytes ?? 0;
      const peak = mapped();
      for (const rows of held) rows.release?.();
      expect(plane.stats().batchRing).toMatchObject({ lent: 0 });
      // Overflow slots' memory goes back at once, though `held` still references their views,
      // not at some later garbage collection: their blocks are unmapped and their stretches of
      // the arena (no mapping of their own: 2 MiB address space each) are given back.
      const released = mapped();
      expect(released).toBeLessThan(peak);
      expect(held[4]?.data.byteOffset).toBeGreaterThan(0);
      // A smaller ring unmaps its free slots beyond the new size at once too.
      plane.setBatchSlots(1);
      expect(mapped()).toBeLessThan(released);
      expect(plane.stats().batchRing?.arenaBytes).toBeGreaterThanOrEqual(0);
      const again = await plane.fetch(concat(batches[0] as Uint8Array[]), { leased: true });
      await expectRows(client, seeded, batches[0] as Uint8Array[], again);
      again.release?.();
    } finally {
      await plane.close();
    }
  });

  it('lends more batches at once than one arena ArrayBuffer can hold, in a ring of 4,096 slots', async () => {
    // A 4,096-slot ring wanted an arena of 8,192 x 2 MiB stretches: 16 GiB,
    // over what Node wraps in one ArrayBuffer (buffer.constants.MAX_LENGTH).
    // Wrapping it failed after Node had run the finalizer, and the binding
    // then freed the block's reference again: the process crashed on the
    // first batch. The arena now stops under 2 GiB (1,023 stretches), and
    // the slots past it map their own memory.
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      batchSlots: 4096,
    });
    try {
      const keys = Array.from(
        { length: 1100 },
        (_, i) => seeded.ids[i % seeded.ids.length] as Uint8Array,
      );
      const lent = await Promise.all(keys.map((key) => plane.fetch(key, { leased: true })));
      expect(plane.stats().batchRing).toMatchObject({ lent: 1100, overflows: 0 });
      const expected = new Map<number, Buffer>();
      for (let i = 0; i < seeded.ids.length; i++) {
        expected.set(
          i,
          (await readWithDriver(client, seeded, seeded.ids[i] as Uint8Array))?.data as Buffer,
        );
      }
      const buffers = new Set<ArrayBufferLike>();
      lent.forEach((rows, i) => {
        expect(rows.size).toBe(1);
        const data = rows.data.subarray(rows.dataOffsets[0], rows.dataOffsets[1]);
        expect(Buffer.from(data).equals(expected.get(i % seeded.ids.length) as Buffer)).toBe(true);
        buffers.add(rows.data.buffer);
      });
      // One buffer for the arena's slots, one of its own for each slot past it.
      expect(buffers.size).toBeGreaterThan(1);
      expect(Math.max(...[...buffers].map((b) => b.byteLength))).toBeLessThan(2 ** 31);
      for (const rows of lent) rows.release?.();
      expect(plane.stats().batchRing).toMatchObject({ lent: 0 });
    } finally {
      await plane.close();
    }
  });

  it('unmaps its arenas when closed, not when the garbage collector gets to it', async () => {
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      batchSlots: 4,
    });
    const batches = keyBatches(seeded, 40, 4);
    const held = await Promise.all(batches.map((k) => plane.fetch(concat(k), { leased: true })));
    for (const rows of held) rows.release?.();
    const open = plane.stats().batchRing?.mappedBytes ?? 0;
    await plane.close();
    // Process-wide: every block of this plane's four slots is gone (and no other plane is open).
    expect(plane.stats().batchRing?.mappedBytes ?? 0).toBeLessThan(open);
  });

  it('with checkRecycled, a view kept past release() reads as empty', async () => {
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      batchSlots: 1,
      checkRecycled: true,
    });
    try {
      const [first, second] = keyBatches(seeded, 30, 2) as [Uint8Array[], Uint8Array[]];
      const rows = await plane.fetch(concat(first), { leased: true });
      await expectRows(client, seeded, first, rows);
      const kept = rows.data;
      rows.release?.();
      expect(kept.length).toBe(0);
      expect(rows.ids.length).toBe(0);
      expect(() => kept.subarray(0, 1).fill(1)).toThrow(TypeError);
      const next = await plane.fetch(concat(second), { leased: true });
      await expectRows(client, seeded, second, next);
      next.release?.();
    } finally {
      await plane.close();
    }
  });

  it('hands rows of an unleased fetch over for good', async () => {
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      batchSlots: 1,
    });
    try {
      const [first, second] = keyBatches(seeded, 30, 2) as [Uint8Array[], Uint8Array[]];
      const a = await plane.fetch(concat(first));
      const b = await plane.fetch(concat(second));
      expect(a.release).toBeUndefined();
      expect(a.data.buffer).not.toBe(b.data.buffer);
      await expectRows(client, seeded, first, a);
      await expectRows(client, seeded, second, b);
      expect(plane.stats().batchRing).toMatchObject({ slots: 0 });
    } finally {
      await plane.close();
    }
  });
});
