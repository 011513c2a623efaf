import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NativeDataPlane } from '../index.js';
import { concat, DEFAULT_OPTIONS } from './helpers/cassandra.js';
import {
  type FakeServer,
  type FakeServerBehaviour,
  RESULT,
  rowsBody,
  startFakeServer,
} from './helpers/fake-server.js';
import { fakeServerPlan } from './helpers/sample-plan.js';

/**
 * Rows answered early (over several connections, each answering in order,
 * so one connection's whole burst lands before another's) are written
 * straight to their final offset while all sizes agree, and moved aside
 * when a size differs or a row is skipped. Either way the output must be
 * in key order.
 */

/** `times` copies of the key: the content proves which key a row belongs to. */
function repeated(key: Buffer, times: number): Buffer {
  return Buffer.concat(Array.from({ length: times }, () => key));
}

function planFor(server: FakeServer) {
  return fakeServerPlan(server.port);
}

const OPTIONS = { ...DEFAULT_OPTIONS, connectionsPerHost: 4, onMissing: 'skip' as const };

describe('NativeDataPlane row order', () => {
  let server: FakeServer | undefined;
  let plane: NativeDataPlane | undefined;

  afterEach(async () => {
    await plane?.close();
    await server?.close();
    plane = undefined;
    server = undefined;
  });

  /** Fetches `ids` twice (the second fetch starts with sizes learned) and checks every row and the skipped ids. */
  async function expectInKeyOrder(
    rowFor: (key: Buffer) => Buffer | null,
    ids: Buffer[],
    pauseInFrame?: FakeServerBehaviour['pauseInFrame'],
  ): Promise<void> {
    server = await startFakeServer({
      execute: ({ key }) => {
        const row = rowFor(key);
        return { opcode: RESULT, body: rowsBody(1, row === null ? [] : [[row]]) };
      },
      pauseInFrame,
    });
    plane = await NativeDataPlane.open(planFor(server), OPTIONS);
    const present = ids.filter((id) => rowFor(id) !== null);
    const absent = ids.filter((id) => rowFor(id) === null);
    for (let pass = 0; pass < 2; pass++) {
      const rows = await plane.fetch(concat(ids));
      expect(rows.size).toBe(present.length);
      expect(Buffer.from(rows.ids).equals(Buffer.concat(present))).toBe(true);
      expect(Buffer.from(rows.missing).equals(Buffer.concat(absent))).toBe(true);
      present.forEach((id, i) => {
        const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
        expect(Buffer.from(data).equals(rowFor(id) as Buffer)).toBe(true);
      });
    }
  }

  const ids = Array.from({ length: 300 }, () => randomBytes(16));

  it('keeps key order for rows of one size', async () => {
    await expectInKeyOrder((key) => repeated(key, 256), ids);
  });

  it('keeps key order when a size differs partway', async () => {
    const odd = ids[150] as Buffer;
    await expectInKeyOrder((key) => repeated(key, key.equals(odd) ? 300 : 256), ids);
  });

  it('keeps key order for rows of many sizes', async () => {
    await expectInKeyOrder((key) => repeated(key, 1 + ((key[0] as number) % 97)), ids);
  });

  it('keeps key order when rows of one size are skipped as missing', async () => {
    // Hex: the server sees its own copies of the keys.
    const gone = new Set([3, 140, 299].map((i) => (ids[i] as Buffer).toString('hex')));
    await expectInKeyOrder(
      (key) => (gone.has(key.toString('hex')) ? null : repeated(key, 256)),
      ids,
    );
  });

  it('reads large rows of one size straight into their place in the batch', async () => {
    const big = ids.slice(0, 120);
    const rowBytes = 4096 * 16; // 64 KiB rows, 4 connections
    // Each answer arrives as its header and first 1,000 cell bytes, then the
    // rest once the client has read those: the receiver always holds a frame's
    // start and knows where its cell goes, whatever the kernel's timing.
    const prefix = 9 + 16 + 4 + 1000; // frame header, rows header, cell length
    const whenRead = async (written: number) => {
      while (plane !== undefined && (plane.stats().receivedBytes ?? 0) < written)
        await new Promise((resolve) => setImmediate(resolve));
    };
    await expectInKeyOrder((key) => repeated(key, 4096), big, { prefix, whenRead });
    // In both fetches, every row after the first (whose size the batch learns
    // from) went from the socket to the batch arena with no copy (but for the
    // 1,000 bytes read with its header).
    expect((plane as NativeDataPlane).stats().placedBytes).toBe(2 * (big.length - 1) * rowBytes);
  });

  it('keeps key order when the first row is empty', async () => {
    const first = ids[0] as Buffer;
    await expectInKeyOrder((key) => (key.equals(first) ? Buffer.alloc(0) : repeated(key, 64)), ids);
  });
});
