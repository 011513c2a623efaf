import { parseReaderOptions } from '@cassdl/schema';
import { runNativeTests } from '@cassdl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane } from '../control-plane/control-plane.js';
import type { Engine, FetchedRows } from '../engines/engine.js';
import { probeNative } from '../engines/native.js';
import { openEngine } from '../engines/select.js';
import {
  connection,
  ensureDataset,
  KEYSPACE,
  packKeys,
  sha256,
  testRows,
} from './helpers/dataset.js';

const rows = testRows();
const byId = new Map(rows.map((r) => [Buffer.from(r.key).toString('hex'), r]));
const native = await probeNative();
/** Engines that honour `oooGroup`. */
const ENGINES = ['driver', ...(runNativeTests(native) ? (['native'] as const) : [])] as const;

beforeAll(() => ensureDataset(rows), 120_000);

function hexIds(bytes: Uint8Array): string[] {
  return Array.from({ length: bytes.length / 16 }, (_, i) =>
    Buffer.from(bytes.subarray(i * 16, i * 16 + 16)).toString('hex'),
  );
}

describe.each(ENGINES)('the %s engine with oooGroup (against the server)', (kind) => {
  let control: ControlPlane;
  let engine: Engine;
  beforeAll(async () => {
    const options = parseReaderOptions({
      connection: await connection(),
      table: `${KEYSPACE}.data_int`,
      labelType: 'int',
      engine: kind,
      onMissing: 'skip',
      inflight: 64,
    });
    control = await ControlPlane.open(options);
    engine = await openEngine({ plan: control.plan, options });
    expect(engine.kind).toBe(kind);
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await control?.close();
  });

  it('resolves every fetch of a group with its size in rows, in submission order, each key of the group exactly once, rows intact', async () => {
    const keys = packKeys(rows);
    const sizes = [1, 7, 32, 100, 3, 257, 600, 1000];
    const order: number[] = [];
    let at = 0;
    const fetches = sizes.map((size, i) => {
      const part = keys.subarray(at * 16, (at + size) * 16);
      at += size;
      return engine.fetch(part, { oooGroup: 41 }).then((r) => {
        order.push(i);
        return r;
      });
    });
    const results = await Promise.all(fetches);
    expect(order).toEqual(sizes.map((_, i) => i));
    expect(results.map((r) => r.size + r.missing.length / 16)).toEqual(sizes);
    const seen = results.flatMap((r) => hexIds(r.ids));
    expect(seen.length).toBe(rows.length);
    expect(new Set(seen).size).toBe(rows.length);
    for (const r of results) checkRows(r);
  }, 60_000);

  it('accounts missing rows of a group in some fetch (onMissing skip), exactly once', async () => {
    const absent = Array.from({ length: 5 }, (_, i) => {
      const k = new Uint8Array(16).fill(0xee);
      k[0] = i;
      return k;
    });
    const present = rows.slice(0, 45).map((r) => r.key);
    const all = [...present.slice(0, 20), ...absent, ...present.slice(20)];
    const packed = new Uint8Array(Buffer.concat(all));
    const results = await Promise.all(
      [0, 10, 30].map((from, i, starts) =>
        engine.fetch(packed.subarray(from * 16, (starts[i + 1] ?? all.length) * 16), {
          oooGroup: -7,
        }),
      ),
    );
    expect(results.map((r) => r.size + r.missing.length / 16)).toEqual([10, 20, 20]);
    const missing = results.flatMap((r) => hexIds(r.missing));
    expect(missing.sort()).toEqual(absent.map((k) => Buffer.from(k).toString('hex')).sort());
    const returned = results.flatMap((r) => hexIds(r.ids));
    expect(new Set(returned).size).toBe(45);
    for (const r of results) checkRows(r);
    for (const r of results) r.release?.();
  }, 60_000);

  it('fetches without a group still return their own keys in key order', async () => {
    const part = packKeys(rows.slice(100, 300));
    const r = await engine.fetch(part);
    expect(hexIds(r.ids)).toEqual(hexIds(part));
    checkRows(r);
  }, 60_000);
});

/** Each returned row's bytes and label are those of its id. */
function checkRows(r: FetchedRows): void {
  hexIds(r.ids).forEach((id, i) => {
    const row = byId.get(id);
    expect(row).toBeDefined();
    const data = r.data.subarray(r.dataOffsets[i], r.dataOffsets[i + 1]);
    expect(sha256(data)).toBe(row?.sha256);
    if (r.labels.kind === 'int') expect(r.labels.values[i]).toBe(row?.label);
  });
}
