import { randomBytes } from 'node:crypto';
import { type DataPlanePlan, RETRIABLE_SERVER_ERRORS } from '@cassdl/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { NativeDataPlane, NativeIoError } from '../index.js';
import { concat, DEFAULT_OPTIONS } from './helpers/cassandra.js';
import {
  ERROR,
  errorBody,
  type FakeServer,
  int,
  RESULT,
  rowsBody,
  startFakeServer,
} from './helpers/fake-server.js';
import { fakeServerPlan } from './helpers/sample-plan.js';

const {
  serverError: SERVER_ERROR,
  overloaded: OVERLOADED,
  truncateError: TRUNCATE_ERROR,
} = RETRIABLE_SERVER_ERRORS;
const INVALID = 0x2200;

/** The row the fake server returns for a key: the key repeated, so content proves routing of answers. */
function dataFor(key: Buffer): Buffer {
  return Buffer.concat([key, key, key]);
}

function rowsOf(key: Buffer) {
  return { opcode: RESULT, body: rowsBody(1, [[dataFor(key)]]) };
}

function planFor(server: FakeServer, overrides: Partial<DataPlanePlan> = {}) {
  return fakeServerPlan(server.port, overrides);
}

function keys(n: number): Buffer[] {
  return Array.from({ length: n }, () => randomBytes(16));
}

async function expectRowsFor(plane: NativeDataPlane, ids: Buffer[]) {
  const rows = await plane.fetch(concat(ids));
  expect(rows.size).toBe(ids.length);
  ids.forEach((id, i) => {
    const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
    expect(Buffer.from(data).equals(dataFor(id))).toBe(true);
  });
}

describe('NativeDataPlane under injected faults', () => {
  let server: FakeServer | undefined;
  let plane: NativeDataPlane | undefined;

  afterEach(async () => {
    await plane?.close();
    await server?.close();
    plane = undefined;
    server = undefined;
  });

  it('reassembles answers that arrive one byte at a time', async () => {
    server = await startFakeServer({ execute: ({ key }) => rowsOf(key), splitBytes: true });
    plane = await NativeDataPlane.open(planFor(server), DEFAULT_OPTIONS);
    await expectRowsFor(plane, keys(20));
  });

  it('retries an overloaded answer and counts the retry', async () => {
    server = await startFakeServer({
      execute: ({ key, attempt }) =>
        attempt === 1 ? { opcode: ERROR, body: errorBody(OVERLOADED, 'busy') } : rowsOf(key),
    });
    plane = await NativeDataPlane.open(planFor(server), DEFAULT_OPTIONS);
    const ids = keys(10);
    await expectRowsFor(plane, ids);
    expect(plane.stats().retries).toBe(10);
    expect(server.executes.length).toBe(20);
  });

  it("retries the server errors of the plan's retry table, and only those", async () => {
    // SERVER_ERROR and TRUNCATE_ERROR are in the one table both engines apply (the driver engine always retried them).
    for (const code of [SERVER_ERROR, TRUNCATE_ERROR]) {
      server = await startFakeServer({
        execute: ({ key, attempt }) =>
          attempt === 1 ? { opcode: ERROR, body: errorBody(code, 'transient') } : rowsOf(key),
      });
      plane = await NativeDataPlane.open(planFor(server), DEFAULT_OPTIONS);
      await expectRowsFor(plane, keys(3));
      expect(plane.stats().retries).toBe(3);
      await plane.close();
      await server.close();
    }
    // A plan whose table leaves OVERLOADED out fails the row at once with the server's code.
    server = await startFakeServer({
      execute: () => ({ opcode: ERROR, body: errorBody(OVERLOADED, 'busy') }),
    });
    plane = await NativeDataPlane.open(
      planFor(server, { retryServerCodes: [SERVER_ERROR] }),
      DEFAULT_OPTIONS,
    );
    const error = await plane.fetch(concat(keys(1))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CASSDL_SERVER', serverCode: OVERLOADED });
    expect(server.executes.length).toBe(1);
  });

  it('gives up after retry.maxAttempts with ERR_CASSDL_NO_REPLICA listing each attempt', async () => {
    server = await startFakeServer({
      execute: () => ({ opcode: ERROR, body: errorBody(OVERLOADED, 'queue full') }),
    });
    plane = await NativeDataPlane.open(planFor(server), {
      ...DEFAULT_OPTIONS,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const [id] = keys(1) as [Buffer];
    const error = await plane.fetch(concat([id])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeIoError);
    const e = error as NativeIoError;
    expect(e.code).toBe('ERR_CASSDL_NO_REPLICA');
    expect(e.id?.replaceAll('-', '')).toBe(id.toString('hex'));
    expect(e.attempts).toHaveLength(3);
    expect(e.attempts?.[0]).toMatchObject({
      host: `127.0.0.1:${server.port}`,
      error: 'overloaded: queue full',
    });
  });

  it('fails at once, with the server code, on an error that a retry cannot fix', async () => {
    server = await startFakeServer({
      execute: () => ({ opcode: ERROR, body: errorBody(INVALID, 'unconfigured table') }),
    });
    plane = await NativeDataPlane.open(planFor(server), DEFAULT_OPTIONS);
    const error = await plane.fetch(concat(keys(1))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CASSDL_SERVER', serverCode: INVALID });
    expect((error as Error).message).toContain('invalid query: unconfigured table');
    expect(server.executes.length).toBe(1);
  });

  it("gives a rejected fetch the awaiting caller's stack, without capturing one per fetch", async () => {
    server = await startFakeServer({
      execute: () => ({ opcode: ERROR, body: errorBody(INVALID, 'unconfigured table') }),
    });
    plane = await NativeDataPlane.open(planFor(server), DEFAULT_OPTIONS);
    const open = plane;
    async function trainingStep(): Promise<unknown> {
      return await open.fetch(concat(keys(1)));
    }
    const error = await trainingStep().catch((e: unknown) => e);
    const frames = String((error as Error).stack)
      .split('\n')
      .slice(1);
    expect(frames[0]).toContain('NativeDataPlane.fetch');
    expect(frames.some((f) => /\btrainingStep\b/.test(f))).toBe(true);
    expect(frames.join('\n')).not.toContain('toNativeIoError');
  });

  it('closes the connection on a malformed frame and retries the row elsewhere (here: after reconnecting)', async () => {
    let malformedSent = false;
    server = await startFakeServer({
      execute: ({ key }) => {
        if (malformedSent) return rowsOf(key);
        malformedSent = true;
        // A cell whose length runs past the end of the frame.
        return {
          opcode: RESULT,
          body: Buffer.concat([int(2), int(4), int(1), int(1), int(1_000_000), key]),
        };
      },
    });
    plane = await NativeDataPlane.open(planFor(server), {
      ...DEFAULT_OPTIONS,
      connectionsPerHost: 1,
    });
    await expectRowsFor(plane, keys(5));
    expect(server.connections).toBe(2);
    expect(plane.stats().retries).toBeGreaterThanOrEqual(1);
  });

  it('retries a request the server never answers, after requestTimeoutMs', async () => {
    server = await startFakeServer({
      execute: ({ key, attempt }) => (attempt === 1 ? null : rowsOf(key)),
    });
    plane = await NativeDataPlane.open(planFor(server, { requestTimeoutMs: 200 }), DEFAULT_OPTIONS);
    await expectRowsFor(plane, keys(3));
    expect(plane.stats().retries).toBe(3);
  });

  it('authenticates with SASL PLAIN', async () => {
    server = await startFakeServer({
      execute: ({ key }) => rowsOf(key),
      auth: { username: 'trainer', password: 'pa55' },
    });
    plane = await NativeDataPlane.open(
      planFor(server, { credentials: { username: 'trainer', password: 'pa55' } }),
      DEFAULT_OPTIONS,
    );
    await expectRowsFor(plane, keys(2));
  });

  it('reports a wrong password as ERR_CASSDL_AUTH with the server reason, never the password', async () => {
    server = await startFakeServer({
      execute: ({ key }) => rowsOf(key),
      auth: { username: 'trainer', password: 'pa55' },
    });
    const plan = planFor(server, {
      credentials: { username: 'trainer', password: 'hunter2-secret' },
    });
    const error = await NativeDataPlane.open(plan, DEFAULT_OPTIONS).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CASSDL_AUTH' });
    expect((error as Error).message).toContain('Provided username and/or password are incorrect');
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(String((error as Error).stack)).not.toContain('hunter2');
  });

  it('says which credentials are missing when the server asks for authentication', async () => {
    server = await startFakeServer({
      execute: ({ key }) => rowsOf(key),
      auth: { username: 'u', password: 'p' },
    });
    const error = await NativeDataPlane.open(planFor(server), DEFAULT_OPTIONS).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_AUTH',
      message: expect.stringContaining('PasswordAuthenticator'),
    });
  });
});
