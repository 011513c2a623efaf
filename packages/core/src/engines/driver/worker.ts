/**
 * Entry of one driver-engine worker thread: its own cassandra-driver client
 * built from the data-plane plan, its share of the in-flight budget, and one
 * message per fetch each way (keys in; packed arenas out, transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import cassandra from 'cassandra-driver';
import { connectionErrorFrom } from '../../control-plane/connect-errors.js';
import { clientOptionsFromPlan } from '../../control-plane/driver-options.js';
import { Semaphore } from '../semaphore.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';
import { packRows, type RowResult } from './pack-rows.js';
import { RowReader } from './row-reader.js';
import { errorToWire } from './wire-error.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('driver-engine worker started outside a worker thread');

const client = new cassandra.Client(
  clientOptionsFromPlan(init.plan, {
    connectionsPerHost: init.connectionsPerHost,
    cloudBundle: init.cloudBundle,
  }),
);
const slots = new Semaphore(init.inflight);
const reader = new RowReader(
  client,
  init.plan,
  init.retry,
  init.onMissing,
  new Int32Array(init.counters),
);

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

/** Where each row of a fetch was answered: latency and host, for the engine's per-host round trips. */
interface Answers {
  readonly latencies: Float32Array;
  readonly hostOf: Uint16Array;
  readonly hosts: string[];
}

async function readOne(key: Uint8Array, answers: Answers, i: number): Promise<RowResult | null> {
  const wait = slots.acquire();
  if (wait !== undefined) await wait;
  const started = performance.now();
  try {
    const { row, host } = await reader.read(key);
    let h = answers.hosts.indexOf(host);
    if (h < 0) h = answers.hosts.push(host) - 1;
    answers.hostOf[i] = h;
    return row;
  } finally {
    answers.latencies[i] = performance.now() - started;
    slots.release();
  }
}

async function fetchRows(seq: number, keys: Uint8Array): Promise<void> {
  const n = keys.length / 16;
  const answers = { latencies: new Float32Array(n), hostOf: new Uint16Array(n), hosts: [] };
  try {
    const rows = await Promise.all(
      Array.from({ length: n }, (_, i) => readOne(keys.subarray(i * 16, i * 16 + 16), answers, i)),
    );
    const packed = packRows(keys, rows, init.plan.labelType, answers);
    post({ type: 'rows', seq, rows: packed.rows }, packed.transfer);
  } catch (error) {
    post({ type: 'error', seq, error: errorToWire(error) });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'fetch') void fetchRows(message.seq, message.keys);
  else if (message.type === 'limits') slots.resize(Math.min(message.inflight, init.inflight));
  else void client.shutdown().finally(() => post({ type: 'closed' }));
});

client.connect().then(
  () => post({ type: 'ready' }),
  (error: unknown) =>
    post({
      type: 'init-error',
      error: errorToWire(connectionErrorFrom(error, 'the data-plane hosts')),
    }),
);
