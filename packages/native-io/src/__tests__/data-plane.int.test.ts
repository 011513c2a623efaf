import { randomBytes } from 'node:crypto';
import { formatUuid } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchedRows, NativeDataPlane, NativeIoError } from '../index.js';
import {
  buildPlan,
  concat,
  DEFAULT_OPTIONS,
  type LabelType,
  openClient,
  readWithDriver,
  type SeededTable,
  seedTable,
} from './helpers/cassandra.js';

const ROWS = 3000;

/** Compares every row of `rows` with what cassandra-driver reads for the same ids. */
async function expectSameAsDriver(
  client: cassandra.Client,
  seeded: SeededTable,
  keys: Uint8Array[],
  rows: FetchedRows,
) {
  expect(rows.size).toBe(keys.length);
  expect(rows.ids).toEqual(concat(keys));
  expect(rows.dataOffsets.length).toBe(keys.length + 1);
  expect(rows.missing.length).toBe(0);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as Uint8Array;
    const expected = await readWithDriver(client, seeded, key);
    expect(expected, formatUuid(key)).not.toBeNull();
    const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
    expect(Buffer.from(data).equals(expected?.data as Buffer), `data of ${formatUuid(key)}`).toBe(
      true,
    );
    if (rows.labels.kind === 'int') expect(rows.labels.values[i]).toBe(expected?.label);
    if (rows.labels.kind === 'blob') {
      const label = rows.labels.data.subarray(rows.labels.offsets[i], rows.labels.offsets[i + 1]);
      expect(
        Buffer.from(label).equals(expected?.label as Buffer),
        `label of ${formatUuid(key)}`,
      ).toBe(true);
    }
  }
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

describe('NativeDataPlane against Cassandra', () => {
  let client: cassandra.Client;
  const tables = new Map<LabelType, SeededTable>();

  beforeAll(async () => {
    client = await openClient();
    tables.set('int', await seedTable(client, 'rows_int', 'int', ROWS));
    tables.set('blob', await seedTable(client, 'rows_blob', 'blob', 1000));
    tables.set('none', await seedTable(client, 'rows_none', 'none', 1000));
  }, 120_000);

  afterAll(async () => {
    await client?.shutdown();
  });

  it.each(['int', 'blob', 'none'] as const)(
    'returns the same bytes as cassandra-driver, in key order, with %s labels',
    async (labelType) => {
      const seeded = tables.get(labelType) as SeededTable;
      const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
        ...DEFAULT_OPTIONS,
        inflight: 128,
      });
      try {
        // Shuffled keys in batches of 128, all outstanding at once.
        const keyBatches = batches(shuffled(seeded.ids), 128);
        const results = await Promise.all(keyBatches.map((keys) => plane.fetch(concat(keys))));
        for (const [i, keys] of keyBatches.entries()) {
          await expectSameAsDriver(client, seeded, keys, results[i] as FetchedRows);
        }
        const stats = plane.stats();
        expect(stats.rows).toBe(seeded.ids.length);
        expect(stats.requests).toBeGreaterThanOrEqual(seeded.ids.length);
        expect(stats.inflight).toBe(0);
        expect(stats.peakInflight).toBeLessThanOrEqual(128);
        expect(stats.latencyMs.max).toBeGreaterThan(0);
      } finally {
        await plane.close();
      }
    },
    120_000,
  );

  it('handles an empty fetch and the same key twice', async () => {
    const seeded = tables.get('int') as SeededTable;
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), DEFAULT_OPTIONS);
    try {
      const empty = await plane.fetch(new Uint8Array(0));
      expect(empty.size).toBe(0);
      expect(Array.from(empty.dataOffsets)).toEqual([0]);
      const key = seeded.ids[5] as Uint8Array;
      const twice = await plane.fetch(concat([key, key]));
      await expectSameAsDriver(client, seeded, [key, key], twice);
    } finally {
      await plane.close();
    }
  });

  it('rejects a missing row with ERR_CASSDL_MISSING_ROW naming its id', async () => {
    const seeded = tables.get('int') as SeededTable;
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), DEFAULT_OPTIONS);
    try {
      const absent = new Uint8Array(randomBytes(16));
      const error = await plane
        .fetch(concat([seeded.ids[0] as Uint8Array, absent]))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NativeIoError);
      expect(error).toMatchObject({
        code: 'ERR_CASSDL_MISSING_ROW',
        id: formatUuid(absent),
        reason: 'no row',
      });
      expect((error as Error).message).toContain(
        `${formatUuid(absent)} not found in cassdl_native_test.rows_int`,
      );
      expect((error as Error).stack).toContain('data-plane.int.test.ts');
    } finally {
      await plane.close();
    }
  });

  it("skips missing rows with onMissing: 'skip' and counts them", async () => {
    const seeded = tables.get('blob') as SeededTable;
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      onMissing: 'skip',
    });
    try {
      const present = seeded.ids.slice(10, 14);
      const absent = [new Uint8Array(randomBytes(16)), new Uint8Array(randomBytes(16))];
      const keys = [
        present[0],
        absent[0],
        present[1],
        present[2],
        absent[1],
        present[3],
      ] as Uint8Array[];
      const rows = await plane.fetch(concat(keys));
      expect(rows.missing).toEqual(concat(absent));
      await expectSameAsDriver(client, seeded, present, { ...rows, missing: new Uint8Array(0) });
      expect(plane.stats().missing).toBe(2);
    } finally {
      await plane.close();
    }
  });

  it('prepares the row read itself: a statement the server refuses fails open, naming the query', async () => {
    const seeded = tables.get('none') as SeededTable;
    const plan = await buildPlan(client, seeded);
    const missing = plan.query.replace(`"${seeded.table}"`, '"no_such_table"');
    const unknownTable = await NativeDataPlane.open(
      { ...plan, query: missing },
      DEFAULT_OPTIONS,
    ).catch((e: unknown) => e);
    expect(unknownTable).toBeInstanceOf(NativeIoError);
    expect(unknownTable).toMatchObject({
      code: 'ERR_CASSDL_SERVER',
      message: expect.stringContaining('no_such_table'),
    });
    expect((unknownTable as Error).message).toMatch(
      /could not be prepared: preparing the row read `SELECT/,
    );
    const syntax = await NativeDataPlane.open(
      { ...plan, query: 'SELEC "data" FROM nowhere' },
      DEFAULT_OPTIONS,
    ).catch((e: unknown) => e);
    expect(syntax).toMatchObject({
      code: 'ERR_CASSDL_SERVER',
      message: expect.stringContaining('SELEC "data" FROM nowhere'),
    });
  });

  it('fails open when the prepared row read returns other columns than the plan places', async () => {
    // The plan says int labels, but the query selects the data column only.
    const seeded = tables.get('none') as SeededTable;
    const plan = await buildPlan(client, seeded);
    const error = await NativeDataPlane.open(
      { ...plan, labelType: 'int', labelCol: 'label' },
      DEFAULT_OPTIONS,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_SERVER',
      message: expect.stringContaining(
        'returns data: blob, expected a data blob then an int label',
      ),
    });
  });

  it('rejects outstanding fetches with ERR_CASSDL_CLOSED on close, and is idempotent', async () => {
    const seeded = tables.get('int') as SeededTable;
    // A small in-flight bound keeps most rows unsent when close() arrives; a
    // batch the I/O thread finished first may still resolve, whole.
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      inflight: 8,
    });
    const sent = batches(seeded.ids, 500);
    const pending = sent.map((keys) => plane.fetch(concat(keys)).catch((e: unknown) => e));
    await Promise.all([plane.close(), plane.close()]);
    const outcomes = await Promise.all(pending);
    const closed = outcomes.filter((o) => (o as { code?: unknown }).code === 'ERR_CASSDL_CLOSED');
    expect(closed.length).toBeGreaterThan(0);
    outcomes.forEach((outcome, i) => {
      if (!closed.includes(outcome)) expect(outcome).toMatchObject({ size: sent[i]?.length });
    });
    await expect(plane.fetch(concat(seeded.ids.slice(0, 1)))).rejects.toMatchObject({
      code: 'ERR_CASSDL_CLOSED',
    });
    await plane.close();
  });

  it('reads everything with a small inflight bound', async () => {
    const seeded = tables.get('blob') as SeededTable;
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      connectionsPerHost: 1,
      inflight: 8,
    });
    try {
      const keys = seeded.ids.slice(0, 200);
      const rows = await plane.fetch(concat(keys));
      await expectSameAsDriver(client, seeded, keys, rows);
      expect(plane.stats().peakInflight).toBeLessThanOrEqual(8);
    } finally {
      await plane.close();
    }
  });

  it('takes an in-flight limit at run time (setLimits), under its open-time ceiling', async () => {
    const seeded = tables.get('int') as SeededTable;
    const plane = await NativeDataPlane.open(await buildPlan(client, seeded), {
      ...DEFAULT_OPTIONS,
      inflight: 256,
    });
    try {
      plane.setLimits({ inflight: 3 });
      const keys = seeded.ids.slice(0, 300);
      await expectSameAsDriver(client, seeded, keys, await plane.fetch(concat(keys)));
      expect(plane.stats().peakInflight).toBeLessThanOrEqual(3);
      plane.setLimits({ inflight: 100_000 }); // clamped to 256
      const more = seeded.ids.slice(300, 1300);
      await expectSameAsDriver(client, seeded, more, await plane.fetch(concat(more)));
      expect(plane.stats().peakInflight).toBeGreaterThan(3);
      expect(plane.stats().peakInflight).toBeLessThanOrEqual(256);
      expect(() => plane.setLimits({ inflight: 0 })).toThrow(
        /limits.inflight: expected an integer >= 1/,
      );
      // Latency per host of the plan (one host here), beside the overall one.
      const [host, ...others] = plane.stats().hosts ?? [];
      expect(others).toEqual([]);
      expect(host?.host).toMatch(/^[\d.]+:\d+$/);
      expect(host?.p50).toBeGreaterThan(0);
      expect(host?.p99).toBeGreaterThanOrEqual(host?.p50 ?? 0);
      // Counted and summed exactly, so the mean since an earlier look can be taken.
      expect(host?.answered).toBeGreaterThanOrEqual(1300);
      expect(host?.totalMs).toBeGreaterThanOrEqual((host?.answered ?? 0) * 0.001);
    } finally {
      await plane.close();
    }
  });

  it('reads from the live host when another host of the plan refuses connections', async () => {
    const seeded = tables.get('int') as SeededTable;
    const plan = await buildPlan(client, seeded);
    const dead = {
      address: '127.0.0.1',
      port: 1,
      datacenter: 'datacenter1',
      rack: 'rack1',
      up: true,
      local: true,
      sniName: null,
    };
    const plane = await NativeDataPlane.open(
      { ...plan, hosts: [...plan.hosts, dead] },
      DEFAULT_OPTIONS,
    );
    try {
      const keys = seeded.ids.slice(0, 50);
      await expectSameAsDriver(client, seeded, keys, await plane.fetch(concat(keys)));
    } finally {
      await plane.close();
    }
  });
});
