import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NativeDataPlane, NativeIoError } from '../index.js';
import { concat, DEFAULT_OPTIONS } from './helpers/cassandra.js';
import {
  ERROR,
  errorBody,
  type FakeServer,
  PREPARED_ID,
  preparedReply,
  RESULT,
  rowsBody,
  startFakeServer,
  unpreparedBody,
} from './helpers/fake-server.js';
import { fakeServerPlan } from './helpers/sample-plan.js';

/** The row the fake server returns for a key: the key twice, so content proves which answer it is. */
function rowsOf(key: Buffer) {
  return { opcode: RESULT, body: rowsBody(1, [[Buffer.concat([key, key])]]) };
}

function keys(n: number): Buffer[] {
  return Array.from({ length: n }, () => randomBytes(16));
}

/** How many EXECUTEs of each key the server saw, in key order. */
function executesPer(server: FakeServer, ids: Buffer[]): number[] {
  return ids.map((id) => server.executes.filter((e) => e.equals(id)).length);
}

describe('NativeDataPlane prepares the row read on its own connections', () => {
  let server: FakeServer | undefined;
  let plane: NativeDataPlane | undefined;

  afterEach(async () => {
    await plane?.close();
    await server?.close();
    plane = undefined;
    server = undefined;
  });

  it('prepares the plan query once per connection before open resolves, and executes with that id', async () => {
    server = await startFakeServer({ execute: ({ key }) => rowsOf(key) });
    const plan = fakeServerPlan(server.port);
    plane = await NativeDataPlane.open(plan, { ...DEFAULT_OPTIONS, connectionsPerHost: 2 });
    expect(server.prepares).toEqual([plan.query, plan.query]);
    const ids = keys(4);
    const rows = await plane.fetch(concat(ids));
    expect(rows.size).toBe(4);
    expect(executesPer(server, ids)).toEqual([1, 1, 1, 1]);
  });

  it('on UNPREPARED prepares again on that connection and resends: the row arrives exactly once', async () => {
    const ids = keys(8);
    const evicted = ids[3] as Buffer;
    server = await startFakeServer({
      // The server forgot the statement once: the first EXECUTE of one key.
      execute: ({ key, attempt }) =>
        key.equals(evicted) && attempt === 1
          ? { opcode: ERROR, body: unpreparedBody(PREPARED_ID) }
          : rowsOf(key),
    });
    const plan = fakeServerPlan(server.port);
    plane = await NativeDataPlane.open(plan, { ...DEFAULT_OPTIONS, connectionsPerHost: 1 });
    const rows = await plane.fetch(concat(ids));
    expect(rows.size).toBe(8);
    expect(rows.missing.length).toBe(0);
    ids.forEach((id, i) => {
      const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
      expect(Buffer.from(data).equals(Buffer.concat([id, id])), `row ${i}`).toBe(true);
    });
    // One PREPARE in the handshake, one after UNPREPARED.
    expect(server.prepares).toEqual([plan.query, plan.query]);
    expect(executesPer(server, ids)).toEqual([1, 1, 1, 2, 1, 1, 1, 1]);
    // Not the replica's fault: no retry counted, no retry budget spent.
    expect(plane.stats().retries).toBe(0);
  });

  it('fails the row with ERR_CASSDL_SERVER when the node keeps answering UNPREPARED after re-preparing', async () => {
    server = await startFakeServer({
      execute: () => ({ opcode: ERROR, body: unpreparedBody(PREPARED_ID) }),
    });
    plane = await NativeDataPlane.open(fakeServerPlan(server.port), {
      ...DEFAULT_OPTIONS,
      connectionsPerHost: 1,
    });
    const error = await plane.fetch(concat(keys(1))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeIoError);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_SERVER',
      message: expect.stringContaining('keeps answering UNPREPARED after re-prepare'),
    });
    // The handshake's PREPARE, then one per UNPREPARED up to the limit (3).
    expect(server.prepares.length).toBe(4);
  });

  it('fails open with ERR_CASSDL_SERVER naming the query when the server refuses to prepare it', async () => {
    server = await startFakeServer({
      execute: ({ key }) => rowsOf(key),
      prepare: () => ({ opcode: ERROR, body: errorBody(0x2200, 'unconfigured table t') }),
    });
    const plan = fakeServerPlan(server.port);
    const error = await NativeDataPlane.open(plan, DEFAULT_OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeIoError);
    expect(error).toMatchObject({ code: 'ERR_CASSDL_SERVER' });
    const message = (error as Error).message;
    expect(message).toContain(`preparing the row read \`${plan.query}\``);
    expect(message).toContain('unconfigured table t');
    expect(server.executes.length).toBe(0);
  });

  it('fails open when the prepared statement returns other columns than the plan places', async () => {
    server = await startFakeServer({
      execute: ({ key }) => rowsOf(key),
      prepare: (query) => preparedReply(query, PREPARED_ID, [0x0009]),
    });
    const error = await NativeDataPlane.open(fakeServerPlan(server.port), DEFAULT_OPTIONS).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_SERVER',
      message: expect.stringContaining('returns data: int, expected a data blob'),
    });
  });

  it('fails open on a malformed Prepared result instead of reading past it', async () => {
    server = await startFakeServer({
      execute: ({ key }) => rowsOf(key),
      prepare: () => ({ opcode: RESULT, body: Buffer.from([0, 0, 0, 4, 0x7f, 0xff, 1]) }),
    });
    const error = await NativeDataPlane.open(fakeServerPlan(server.port), DEFAULT_OPTIONS).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_SERVER',
      message: expect.stringContaining('prepared id needs 32767 bytes'),
    });
  });
  it('fails the row naming the refusal when the node refuses to prepare the read again', async () => {
    server = await startFakeServer({
      execute: () => ({ opcode: ERROR, body: unpreparedBody(PREPARED_ID) }),
      prepare: (query, n) =>
        n === 1
          ? preparedReply(query)
          : { opcode: ERROR, body: errorBody(0x2200, 'unconfigured table t') },
    });
    plane = await NativeDataPlane.open(fakeServerPlan(server.port), {
      ...DEFAULT_OPTIONS,
      connectionsPerHost: 1,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const error = await plane.fetch(concat(keys(1))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeIoError);
    expect(error).toMatchObject({ code: 'ERR_CASSDL_NO_REPLICA' });
    // Every attempt after the refused re-prepare says why the connection is closed.
    const attempts = (error as NativeIoError).attempts ?? [];
    expect(attempts.length).toBe(2);
    for (const attempt of attempts) {
      expect(attempt.error).toContain('preparing the row read');
      expect(attempt.error).toContain('unconfigured table t');
    }
  });
});
