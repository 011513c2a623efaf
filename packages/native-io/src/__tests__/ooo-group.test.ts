import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NativeDataPlane } from '../index.js';
import { concat, DEFAULT_OPTIONS } from './helpers/cassandra.js';
import { type FakeServer, RESULT, rowsBody, startFakeServer } from './helpers/fake-server.js';
import { fakeServerPlan } from './helpers/sample-plan.js';

/**
 * FetchOptions.oooGroup on the native plane: a group's rows fill the oldest
 * open fetch of the group in the order they arrive. The fake server stays
 * silent on the first request for one key (its retry, after the request
 * timeout, is answered), so that row surely arrives after every other row of
 * the group: whatever the timing, it cannot be in the first fetch.
 */

/** `times` copies of the key: the content proves which key a row belongs to. */
function rowOf(key: Buffer): Buffer {
  return Buffer.concat(Array.from({ length: 8 }, () => key));
}

function hex(bytes: Uint8Array): string[] {
  return Array.from({ length: bytes.length / 16 }, (_, i) =>
    Buffer.from(bytes.subarray(i * 16, i * 16 + 16)).toString('hex'),
  );
}

describe('NativeDataPlane oooGroup', () => {
  let server: FakeServer | undefined;
  let plane: NativeDataPlane | undefined;

  afterEach(async () => {
    await plane?.close();
    await server?.close();
    plane = undefined;
    server = undefined;
  });

  async function open(
    slowKey: Buffer,
    gone: ReadonlySet<string> = new Set(),
  ): Promise<NativeDataPlane> {
    const fake = await startFakeServer({
      execute: ({ key, attempt }) => {
        if (key.equals(slowKey) && attempt === 1) return null;
        const row = gone.has(key.toString('hex')) ? null : rowOf(key);
        return { opcode: RESULT, body: rowsBody(1, row === null ? [] : [[row]]) };
      },
    });
    server = fake;
    const plan = fakeServerPlan(fake.port, { requestTimeoutMs: 3000 });
    plane = await NativeDataPlane.open(plan, {
      ...DEFAULT_OPTIONS,
      connectionsPerHost: 2,
      onMissing: 'skip',
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    return plane;
  }

  it('a slow row holds no fetch back: later keys fill the first fetch, the slow row lands in the last', async () => {
    const keys = Array.from({ length: 10 }, () => randomBytes(16));
    const slow = keys[0] as Buffer;
    const p = await open(slow);
    const order: string[] = [];
    const first = p.fetch(concat(keys.slice(0, 5)), { oooGroup: 3 }).then((r) => {
      order.push('first');
      return r;
    });
    const second = p.fetch(concat(keys.slice(5)), { oooGroup: 3 }).then((r) => {
      order.push('second');
      return r;
    });
    const [a, b] = await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect([a.size, b.size]).toEqual([5, 5]);
    expect(hex(a.ids)).not.toContain(slow.toString('hex'));
    expect(hex(b.ids)).toContain(slow.toString('hex'));
    expect([...hex(a.ids), ...hex(b.ids)].sort()).toEqual(
      keys.map((k) => k.toString('hex')).sort(),
    );
    for (const r of [a, b]) {
      hex(r.ids).forEach((id, i) => {
        const data = r.data.subarray(r.dataOffsets[i], r.dataOffsets[i + 1]);
        expect(Buffer.from(data).equals(rowOf(Buffer.from(id, 'hex')))).toBe(true);
      });
    }
  });

  it('counts skipped rows of the group in the fetch being filled, each key once; ungrouped fetches keep key order', async () => {
    const keys = Array.from({ length: 12 }, () => randomBytes(16));
    const gone = new Set([2, 7].map((i) => (keys[i] as Buffer).toString('hex')));
    const p = await open(keys[11] as Buffer, gone);
    const results = await Promise.all(
      [keys.slice(0, 4), keys.slice(4, 8), keys.slice(8)].map((part) =>
        p.fetch(concat(part), { oooGroup: -1, leased: true }),
      ),
    );
    expect(results.map((r) => r.size + r.missing.length / 16)).toEqual([4, 4, 4]);
    expect(results.flatMap((r) => hex(r.missing)).sort()).toEqual([...gone].sort());
    const all = results.flatMap((r) => [...hex(r.ids), ...hex(r.missing)]);
    expect(all.sort()).toEqual(keys.map((k) => k.toString('hex')).sort());
    for (const r of results) r.release?.();
    const plain = await p.fetch(concat(keys.slice(0, 6)));
    expect(hex(plain.ids)).toEqual(
      keys
        .slice(0, 6)
        .filter((k) => !gone.has(k.toString('hex')))
        .map((k) => k.toString('hex')),
    );
  });
});
