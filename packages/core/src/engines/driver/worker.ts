/**
 * Entry of one driver-engine worker thread: its own cassandra-driver client
 * built from the data-plane plan, its share of the in-flight budget, and one
 * message per fetch each way (keys in; packed arenas out, transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import cassandra from 'cassandra-driver';
import { connectionErrorFrom } from '../../control-plane/connect-errors.js';
import { clientOptionsFromPlan } from '../../control-plane/driver-options.js';
import { ArenaPool } from './arena-pool.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';
import { type Arrival, type FilledFetch, OooGroup } from './ooo-group.js';
import { packRows, type RowResult } from './pack-rows.js';
import { ReadQueue } from './read-queue.js';
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
const arenas = new ArenaPool();
const reader = new RowReader(
  client,
  init.plan,
  init.retry,
  init.onMissing,
  new Int32Array(init.counters),
);

/** What a queued row belongs to (a fetch, or a fetch of an `oooGroup`): told when it arrived or failed for good. */
interface RowOwner {
  readonly keys: Uint8Array;
  arrived(index: number, arrival: Arrival<RowResult>): void;
  failed(index: number, error: unknown): void;
}

/** This worker's share of the in-flight budget: each row is read once a slot is free, FIFO. */
const reads = new ReadQueue<RowOwner>(init.inflight, async (owner, index) => {
  const key = keyAt(owner.keys, index);
  const started = performance.now();
  let arrival: Arrival<RowResult>;
  try {
    const { row, host } = await reader.read(key);
    arrival = { key, row, host, ms: performance.now() - started };
  } catch (error) {
    owner.failed(index, error);
    return;
  }
  owner.arrived(index, arrival);
});

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

/** Where each row of a fetch was answered: latency and host, for the engine's per-host round trips. */
interface Answers {
  readonly latencies: Float32Array;
  readonly hostOf: Uint16Array;
  readonly hosts: string[];
}

function keyAt(keys: Uint8Array, i: number): Uint8Array {
  return keys.subarray(i * 16, i * 16 + 16);
}

/** A fetch: its rows land in place as they arrive, and the last one posts the packed batch. */
function fetchRows(seq: number, keys: Uint8Array): void {
  const n = keys.length / 16;
  const rows = new Array<RowResult | null>(n).fill(null);
  const answers: Answers = {
    latencies: new Float32Array(n),
    hostOf: new Uint16Array(n),
    hosts: [],
  };
  let left = n;
  let settled = false;
  const finish = () => {
    settled = true;
    try {
      postRows(seq, keys, rows, answers);
    } catch (error) {
      post({ type: 'error', seq, error: errorToWire(error) });
    }
  };
  if (n === 0) {
    finish();
    return;
  }
  reads.push(
    {
      keys,
      arrived(index, read) {
        if (settled) return;
        let h = answers.hosts.indexOf(read.host);
        if (h < 0) h = answers.hosts.push(read.host) - 1;
        answers.hostOf[index] = h;
        answers.latencies[index] = read.ms;
        rows[index] = read.row;
        if (--left === 0) finish();
      },
      // The first failure fails the fetch; its other rows still finish reading (they hold their slots until then).
      failed(_index, error) {
        if (settled) return;
        settled = true;
        post({ type: 'error', seq, error: errorToWire(error) });
      },
    },
    n,
  );
}

function postRows(
  seq: number,
  keys: Uint8Array,
  rows: readonly (RowResult | null)[],
  answers: Answers,
): void {
  const packed = packRows(keys, rows, init.plan.labelType, answers, (bytes) => arenas.take(bytes));
  post({ type: 'rows', seq, rows: packed.rows }, packed.transfer);
}

/** Open `oooGroup`s of this worker (the engine sends every fetch of a group to one worker). */
const groups = new Map<number, OooGroup<RowResult>>();

/** A fetch of an `oooGroup`: its keys are read like any, but each row fills the group's oldest open fetch. */
function fetchGrouped(seq: number, keys: Uint8Array, id: number): void {
  let group = groups.get(id);
  if (group === undefined) {
    group = new OooGroup<RowResult>();
    groups.set(id, group);
  }
  const g = group;
  const done = (full: readonly FilledFetch<RowResult>[]) => {
    for (const f of full)
      postRows(f.seq, f.keys, f.rows, { latencies: f.latencies, hostOf: f.hostOf, hosts: f.hosts });
    if (g.idle) groups.delete(id);
  };
  done(g.add(seq, keys.length / 16));
  reads.push(
    {
      keys,
      arrived: (_index, arrival) => done(g.arrive(arrival)),
      failed: (_index, error) => {
        const failed = g.fail();
        if (failed !== null) post({ type: 'error', seq: failed, error: errorToWire(error) });
        done([]);
      },
    },
    keys.length / 16,
  );
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'fetch') {
    if (message.group === undefined) fetchRows(message.seq, message.keys);
    else fetchGrouped(message.seq, message.keys, message.group);
  } else if (message.type === 'recycle') arenas.give(message.buffer);
  else if (message.type === 'limits') reads.resize(Math.min(message.inflight, init.inflight));
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
