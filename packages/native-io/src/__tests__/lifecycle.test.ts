import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeServer, RESULT, rowsBody, startFakeServer } from './helpers/fake-server.js';

const addonPath = fileURLToPath(new URL('../../build/Release/cassdl_native.node', import.meta.url));

/** Runs in a worker: opens a plane on the fake server, starts fetches, then tells the parent it is busy. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const binding = require(workerData.addonPath);
const config = {
  hosts: [{ address: '127.0.0.1', port: workerData.port, up: true }],
  ringTokens: new BigInt64Array([0n]), ringStarts: new Int32Array([0, 1]), ringReplicas: new Int32Array([0]),
  ringPreferred: new Int32Array([1]), version: 4, query: 'SELECT "data" FROM "ks"."t" WHERE "id" = ?',
  consistency: 10, labelKind: 0, table: 'ks.t', connectTimeoutMs: 2000, requestTimeoutMs: 60000, retryServerCodes: new Int32Array([0x1001]),
  connectionsPerHost: 2, inflight: 64, skipMissing: false, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5,
};
const plane = new binding.NativeDataPlaneBinding(config);
plane.open().then(() => {
  for (let i = 0; i < 4; i++) plane.fetch(new Uint8Array(16 * 100)).catch(() => {});
  parentPort.postMessage('busy');
});
`;

describe('lifecycle', () => {
  let server: FakeServer | undefined;

  afterEach(async () => {
    await server?.close();
  });

  it('stops the I/O thread cleanly when a worker is terminated with fetches outstanding', async () => {
    // The server never answers EXECUTE, so fetches stay outstanding until teardown.
    server = await startFakeServer({ execute: () => null });
    for (let round = 0; round < 3; round++) {
      const worker = new Worker(workerSource, {
        eval: true,
        workerData: { addonPath, port: server.port },
      });
      const [message] = await once(worker, 'message');
      expect(message).toBe('busy');
      const exitCode = await worker.terminate();
      expect(exitCode).toBe(1);
    }
    // Still alive and serving: the addon works in this thread after the workers went away.
    server.executes.length = 0;
    const key = randomBytes(16);
    const answering = await startFakeServer({
      execute: ({ key: k }) => ({ opcode: RESULT, body: rowsBody(1, [[k]]) }),
    });
    try {
      const worker = new Worker(
        `${workerSource.replace("parentPort.postMessage('busy')", 'plane.fetch(new Uint8Array(workerData.key)).then((r) => { parentPort.postMessage(r.size); return plane.close(); })')}`,
        { eval: true, workerData: { addonPath, port: answering.port, key } },
      );
      const exited = once(worker, 'exit');
      const [size] = await once(worker, 'message');
      expect(size).toBe(1);
      // It exits by itself: after close() the addon holds no handle that keeps a loop alive.
      expect(await exited).toEqual([0]);
    } finally {
      await answering.close();
    }
  });
});
